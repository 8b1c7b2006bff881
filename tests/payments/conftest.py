from __future__ import annotations

from tests.media import _media  # noqa: F401 (autouse: files under tmp)
