"""A brief that cannot be written is a ServiceError, whatever went wrong on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewapp.services.briefs import build_brief
from reviewapp.services.library import LibrarySession, ServiceError


def test_an_unwritable_destination_is_a_service_error(
    session: LibrarySession, fixture_ids: dict[str, int], tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    with pytest.raises(ServiceError, match="cannot write"):
        build_brief(session, blocker / "brief.pdf")
    assert blocker.read_text(encoding="utf-8") == "a file where a folder should be"
