"""A library in a folder a sync client manages, or on another machine's disk, is warned of."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewapp.services.placement import network_file_system, sync_warning, synced_by


@pytest.mark.parametrize(
    ("folders", "marker", "client"),
    [
        ("Dropbox/journal club", ".dropbox", "Dropbox"),
        ("Dropbox/deep/deeper", ".dropbox", "Dropbox"),
        ("Shared/club", ".stfolder/", "Syncthing"),
        ("OneDrive - Hospital Trust/papers", None, "OneDrive"),
        ("OneDrive/papers", None, "OneDrive"),
        ("Library/Mobile Documents/com~apple~CloudDocs/club", None, "iCloud Drive"),
    ],
)
def test_a_folder_a_sync_client_manages_is_named(
    tmp_path: Path, folders: str, marker: str | None, client: str
) -> None:
    folder = tmp_path / folders
    folder.mkdir(parents=True)
    if marker:  # a name ending in "/" is a folder, else a file
        where = tmp_path / folders.split("/", maxsplit=1)[0] / marker.rstrip("/")
        if marker.endswith("/"):
            where.mkdir()
        else:
            where.write_text("{}")
    library = folder / "library.sqlite"
    assert synced_by(library) == client
    warning = sync_warning(library)
    assert warning is not None and client in warning and "club folder" in warning


def test_an_ordinary_folder_has_nothing_to_say(tmp_path: Path) -> None:
    assert sync_warning(tmp_path / "papers" / "library.sqlite") is None


def test_dropboxs_settings_in_the_home_folder_do_not_make_it_synced(tmp_path: Path) -> None:
    (tmp_path / ".dropbox").mkdir()  # ~/.dropbox: Dropbox's own settings, a folder
    (tmp_path / "Dropbox backup").mkdir()  # a folder of that name Dropbox does not keep
    assert synced_by(tmp_path / ".local" / "share" / "reviewapp" / "library.sqlite") is None
    assert synced_by(tmp_path / "Dropbox backup" / "library.sqlite") is None


def test_a_network_file_system_is_told_by_the_mount_holding_the_folder(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    (share / "club").mkdir()
    mounts = f"/dev/vda / ext4 rw 0 0\nserver:/export {share} nfs4 rw 0 0\n"
    assert network_file_system(share / "club", mounts) is True
    assert network_file_system(tmp_path, mounts) is False
    assert network_file_system(share / "club", "/dev/vda / ext4 rw 0 0\n") is False
    # Two mounts at one place: the last is on top (autofs, then the NFS share over it).
    stacked = f"/dev/vda / ext4 rw 0 0\nauto {share} autofs rw 0 0\nsrv:/x {share} nfs rw 0 0\n"
    assert network_file_system(share / "club", stacked) is True
    spaced = tmp_path / "club share"
    spaced.mkdir()
    escaped = str(spaced).replace(" ", "\\040")
    assert network_file_system(spaced, f"/dev/vda / ext4 rw 0 0\nsrv:/y {escaped} cifs rw 0 0\n")
