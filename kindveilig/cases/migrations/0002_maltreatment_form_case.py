"""Every record of a case carries its case (CaseRecord): maltreatment forms get the case of
their child, filled in for the forms recorded before."""

import django.db.models.deletion
from django.db import migrations, models


def fill_case_from_child(apps, schema_editor):
    ChildMaltreatmentForm = apps.get_model("cases", "ChildMaltreatmentForm")
    for record in ChildMaltreatmentForm.objects.select_related("child").iterator():
        ChildMaltreatmentForm.objects.filter(pk=record.pk).update(case_id=record.child.case_id)
    Historical = apps.get_model("cases", "HistoricalChildMaltreatmentForm")
    Person = apps.get_model("cases", "Person")
    case_of_child = dict(Person.objects.values_list("pk", "case_id"))
    for record in Historical.objects.filter(case__isnull=True).iterator():
        Historical.objects.filter(pk=record.pk).update(case_id=case_of_child.get(record.child_id))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="childmaltreatmentform",
            name="case",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="maltreatment_forms",
                to="cases.case",
            ),
        ),
        migrations.AddField(
            model_name="historicalchildmaltreatmentform",
            name="case",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="cases.case",
            ),
        ),
        migrations.RunPython(fill_case_from_child, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="childmaltreatmentform",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="maltreatment_forms",
                to="cases.case",
            ),
        ),
    ]
