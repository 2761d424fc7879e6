"""Accessibility of every page a role can reach: axe-core (WCAG 2.1 A and AA) finds no
violation, and at 320 CSS pixels wide the page reflows without sideways scrolling (WCAG 1.4.10;
wide tables scroll inside their own region).

axe-core comes from npm (``package.json`` devDependencies, installed by ``npm ci``) and is
injected into each page by Playwright; the browser context bypasses the Content-Security-Policy
for that injection only (the policy forbids inline scripts, which is what an injected script is).
One browser is shared, each role logs in once, and every problem of a role's pages is collected
before the test fails, so one run shows them all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from kindveilig.cases.models import Case
from kindveilig.demo.data import DEMO_PASSWORD, load_demo
from kindveilig.investigation.views import SECTIONS
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 800}

# The demo roles (and a visitor who is not logged in); ``pages_of`` lists their pages.
ACTORS = [
    "anonymous",
    "regievoerder",
    "hulpverlener",
    "gedragswetenschapper",
    "teamleider",
    "beheerder",
    "auditor",
]
# Where each role lands after logging in (cases.views.ROLE_HOMES).
HOME_HEADINGS = {
    "regievoerder": "Mijn dossiers",
    "hulpverlener": "Mijn dossiers",
    "gedragswetenschapper": "Mijn dossiers",
    "teamleider": "Caseload van het team",
    "beheerder": "Accounts",
    "auditor": "Logboek",
}

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.slice(0, 5).map((node) => ({
      target: node.target.join(" "),
      summary: node.failureSummary,
    })),
  }));
}"""

# Elements sticking out to the right of a 320 px page, outside a region that scrolls itself.
OVERFLOWING = """(width) => {
  const out = [];
  for (const element of document.body.querySelectorAll("*")) {
    if (element.closest(".kv-table-scroll")) continue;
    const box = element.getBoundingClientRect();
    if (box.right > width + 0.5 && box.width > 0) {
      const name = element.tagName.toLowerCase()
        + (element.id ? "#" + element.id : "")
        + (element.className && typeof element.className === "string"
            ? "." + element.className.trim().split(/\\s+/).join(".") : "");
      out.push(name + " (right " + Math.round(box.right) + ")");
    }
  }
  return out.slice(0, 8);
}"""


@dataclass
class Checker:
    page: object
    problems: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)

    def visit(self, path: str, *, status: int = 200) -> None:
        response = self.page.goto(path)
        if response is None or response.status != status:
            got = response.status if response else None
            self.problems.append(f"{path}: status {got}, expected {status}")
            return
        self.check(path)

    def check(self, label: str) -> None:
        """axe on the page as it is now (desktop width), then the reflow at 320 px."""
        page = self.page
        self.visited.append(label)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN_AXE, WCAG_TAGS)
        for violation in violations:
            self.problems.append(
                f"{label}: axe {violation['id']} ({violation['impact']}): {violation['help']}\n"
                + "\n".join(
                    f"    {node['target']}\n      {node['summary']}".replace("\n", "\n      ")
                    for node in violation["nodes"]
                )
            )
        page.set_viewport_size(NARROW)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            overflowing = page.evaluate(OVERFLOWING, NARROW["width"])
            self.problems.append(
                f"{label}: at 320 px the page is {width} px wide: {', '.join(overflowing)}"
            )
        page.set_viewport_size(DESKTOP)


def pages_of(actor: str, case: Case) -> list[str]:
    """The pages ``actor`` can reach in the demo: the coordinator all of them (every page of
    the case, every investigation section and record, the Kennisbank, the account pages)."""
    my_cases = reverse("cases:my_cases")
    if actor != "regievoerder":
        # The other roles see the same templates; what differs is their menu, their list of
        # cases and what a page offers them (the team page without the coordinator's forms).
        # The team lead, administrator and auditor start on their own home (ROLE_HOMES).
        return {
            "hulpverlener": [my_cases, reverse("cases:case_team", args=[case.pk])],
            "gedragswetenschapper": [
                my_cases,
                reverse("cases:case_detail", args=[case.pk]),
                reverse("approvals:approvals", args=[case.pk]),  # with the approval forms
            ],
            "teamleider": [
                my_cases,
                reverse("cases:my_cases_list"),
                reverse("accounts:security"),
            ],
            "beheerder": [
                my_cases,
                reverse("administration:account_create"),
                reverse("administration:organisations"),
                reverse(
                    "administration:account_detail",
                    args=[case.members.exclude(user=None).first().user_id],
                ),
            ],
            "auditor": [
                my_cases,
                reverse("oversight:break_glass_report"),
                reverse("oversight:denied_access"),
            ],
        }[actor]
    case_pages = [
        reverse("cases:case_detail", args=[case.pk]),
        reverse("cases:case_team", args=[case.pk]),
        reverse("cases:case_history", args=[case.pk]),
        reverse("cases:case_edit", args=[case.pk]),
        *[reverse(f"investigation:{section.key}", args=[case.pk]) for section in SECTIONS],
        reverse("assessment:overview", args=[case.pk]),
        reverse("assessment:safety", args=[case.pk]),
        reverse("assessment:safety_add", args=[case.pk, case.persons.get(given_name="Daan").pk]),
        reverse("assessment:risk", args=[case.pk]),
        reverse("assessment:risk_add", args=[case.pk]),
        reverse("assessment:instrument_add", args=[case.pk]),
        reverse("assessment:causes", args=[case.pk]),
        reverse("assessment:conclusion", args=[case.pk]),
        reverse("approvals:approvals", args=[case.pk]),
    ]
    records = [
        reverse(
            f"investigation:{section.key}_edit",
            args=[case.pk, section.model.objects.filter(case=case).first().pk],
        )
        for section in SECTIONS
    ]
    knowledge = [
        reverse("knowledge:index"),
        reverse("knowledge:index") + "?q=ouder",
        *[
            reverse("knowledge:list", args=[name])
            for name in ("alarm_signals", "interventions", "framework_dimensions")
        ],
        *[
            reverse("knowledge:entry", args=[name, code])
            for name, code in (
                ("alarm_signals", "kind.shaken-baby"),
                ("interventions", "pcit"),
                ("questionnaires", "cbcl"),
                ("framework_dimensions", "kind.gezondheid"),
                ("conversation_guides", "kader-gesprek-kind"),
                ("lifeline_columns", "kwetsbare-periode"),
                ("risk_factors", "risico.ouder.pedagogische-vaardigheden"),
                ("method_rules", "r5"),
            )
        ],
    ]
    account = [
        reverse("accounts:security"),
        reverse("accounts:password_change"),
        reverse("accounts:reauthenticate"),
        reverse("core:privacy"),
        reverse("core:help"),
    ]
    new = [
        reverse("cases:case_create"),
        reverse("cases:break_glass"),
        reverse("cases:person_add", args=[case.pk]),
    ]
    return [my_cases, *case_pages, *records, *knowledge, *account, *new]


@pytest.mark.parametrize("actor", ACTORS)
def test_every_page_passes_axe_and_reflows_at_320_px(browser, live_server, transactional_db, actor):
    assert AXE.exists(), f"{AXE} is missing: run the setup command (npm ci)"
    case = load_demo(today=timezone.localdate())
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", bypass_csp=True)
    context.set_default_timeout(15000)
    page = context.new_page()
    page.set_viewport_size(DESKTOP)
    checker = Checker(page)
    try:
        if actor == "anonymous":
            checker.visit(reverse("accounts:login"))
            checker.visit(reverse("core:privacy"))
            checker.visit(reverse("core:help"))
            page.goto(reverse("accounts:login"))
            # A failed password shows the error; then the second step's page.
            page.get_by_label("Gebruikersnaam").fill("regievoerder")
            page.get_by_label("Wachtwoord").fill("not the password")
            page.get_by_role("button", name="Inloggen").click()
            checker.check("login with an error")
            page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Inloggen").click()
            page.get_by_label("Code").wait_for()
            checker.check("second factor")
            page.get_by_label("Code").fill("000000")
            page.get_by_role("button", name="Bevestigen").click()
            checker.check("second factor with an error")
        else:
            page.goto(reverse("accounts:login"))
            log_in(page, actor)
            page.get_by_role("heading", level=1, name=HOME_HEADINGS[actor]).wait_for()
            for path in pages_of(actor, case):
                checker.visit(path)
            if actor == "regievoerder":
                checker.visit(f"/dossiers/{case.pk + 1000}/", status=404)
                # A form sent back with errors (a lifeline event without date and text).
                page.goto(reverse("investigation:lifeline", args=[case.pk]))
                page.locator("#add-heading + form button[type=submit]").click()
                page.locator(".utrecht-form-field--invalid").first.wait_for()
                checker.check("lifeline form with errors")
    finally:
        context.close()
    assert checker.visited, "no page was checked"
    assert not checker.problems, (
        f"{len(checker.problems)} accessibility problem(s) on the pages of {actor}:\n"
        + "\n".join(checker.problems)
        + "\n(pages checked: "
        + json.dumps(checker.visited)
        + ")"
    )
