"""Log formatting that keeps personal data out of the logs (PRODUCT §7).

Exception messages can carry personal data (a validation message with a name, a database
error quoting a BSN), so tracebacks are logged with file, line and function and the exception's
type only, never its message. Log calls in Kindveilig itself log codes and ids.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType


class RedactingFormatter(logging.Formatter):
    def formatException(
        self,
        ei: tuple[type[BaseException], BaseException, TracebackType | None]
        | tuple[None, None, None],
    ) -> str:
        exc_type, _exc, tb = ei
        frames = "".join(
            f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n'
            for frame in traceback.extract_tb(tb)
        )
        name = exc_type.__qualname__ if exc_type else "Exception"
        return f"Traceback (most recent call last):\n{frames}{name}: [message withheld]"
