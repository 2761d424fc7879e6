"""The one refusal of the domain.

A service that will not do something for this actor (their role may not open cases, only a
coordinator manages the team, a closed case is not edited) raises ``NotPermitted`` with a
translated sentence that says why. The API answers it with a JSON 403 ``{"detail": ...}``
(declared in the schema of every operation that can return it); the web UI shows the sentence
on a 403 page, or next to the form when the view catches it. Input that is wrong stays a
``ValidationError`` (422 per field in the API), and a case the user may not see stays a 404.
"""

from __future__ import annotations


class NotPermitted(Exception):
    """The actor may not do this; ``message`` is a translated explanation for the user.

    ``attempted`` names the kind of data the attempt was on (an audit vocabulary code such as
    ``case`` or ``case_member``) and ``case_id`` the case, so the refusal is logged as a denied
    access where it is answered (the API's handler, the UI's middleware), after the service's
    transaction has been rolled back.
    """

    def __init__(self, message: str, *, attempted: str = "case", case_id: int | None = None):
        super().__init__(message)
        self.message = message
        self.attempted = attempted
        self.case_id = case_id
