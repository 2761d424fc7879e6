"""The method engine: the handbook's rules R1-R14 as pure Python.

No Django, no database, no clock, no file system: rules take plain data (dataclasses built by
the apps' ``facts.py`` from their rows), the knowledge base as ``knowledge.schema`` data, and a
reference date when age or time matters; they return an ``Outcome`` (rule, decision, reasons).
A professional may deviate from an outcome with a reason (``Override``); the app that stores the
decision records both. One module per rule family (``safety.py`` for R1-R2, ``risk.py`` for
R3-R4, ...). A test fails when a module here imports Django or any app but the knowledge schema.
"""
