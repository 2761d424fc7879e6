"""Static files in production: compressed, with content hashes in their names (cacheable
forever), served by WhiteNoise."""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage, tolerant of one thing: vendored CSS that references a file its own
    package does not ship (the Utrecht design tokens' ``background-image-icon.css`` points at
    ``pijltje.svg``, which is not in the package; we do not use that CSS). Such a reference under
    ``vendor/`` is left as written; a missing file referenced by our own CSS still fails."""

    def hashed_name(self, name: str, content: Any = None, filename: str | None = None) -> str:
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            if content is None and name.startswith("vendor/") and not self.exists(name):
                return name
            raise
