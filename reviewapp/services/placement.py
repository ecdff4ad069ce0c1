"""Where a library sits, and whether that is safe: a SQLite file synced live by Dropbox,
OneDrive, iCloud Drive, Syncthing or kept on a network file system can be copied half
written or edited on two laptops at once, and what was saved is then lost. The club folder
is the safe way to share (packs are written whole, then renamed)."""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

from reviewapp.services.paths import config_dir
from reviewapp.store.database import read_only_place

# Folders a sync client keeps in step, told by what it keeps in them: Dropbox a ".dropbox"
# file (its settings in the home folder are a ".dropbox" folder), Syncthing ".stfolder"...
_FILE_MARKERS = {".dropbox": "Dropbox"}
_FOLDER_MARKERS = {".dropbox.cache": "Dropbox", ".stfolder": "Syncthing"}
# ...or by their names, as the clients name them.
_NAMES = (
    ("OneDrive", "OneDrive"),
    ("iCloud Drive", "iCloud Drive"),
    ("com~apple~CloudDocs", "iCloud Drive"),
    ("Mobile Documents", "iCloud Drive"),
)
# File systems of other machines (Linux's names for them in /proc/mounts).
_NETWORK_FILE_SYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "fuse.sshfs", "davfs", "ceph"}
)


def window_lock(library: Path) -> Path:
    """The lock file a window holds beside the library it has open (Qt's QLockFile: its
    first line is the holder's process id); in the settings folder for a library in a place
    that cannot be written."""
    resolved = library.expanduser().resolve()
    if resolved.exists() and read_only_place(resolved):
        digest = hashlib.sha256(str(resolved).encode("utf-8", "surrogateescape")).hexdigest()
        return config_dir() / "window-locks" / f"{digest[:24]}.window.lock"
    return Path(str(resolved) + ".window.lock")


def window_holding(library: Path) -> int | None:
    """The process id of a live window that has the library open, if any (0: one may
    have, its process cannot be asked: Windows, where the lock's mere presence counts)."""
    lock = window_lock(library)
    try:
        pid = int(lock.read_text(encoding="utf-8").split()[0])
    except (OSError, ValueError, IndexError):
        return None  # no lock
    if os.name != "posix":  # os.kill there ends the process it would only ask about
        return 0
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None  # its window is gone
    except OSError:
        pass  # alive, another user's
    return pid


def synced_by(library: Path) -> str | None:
    """What keeps the library's folder in step with other machines ("Dropbox", "a network
    file system", …), or None."""
    folder = library.expanduser().absolute().parent
    for place in (folder, *folder.parents):
        for marker, client in _FILE_MARKERS.items():
            if (place / marker).is_file():
                return client
        for marker, client in _FOLDER_MARKERS.items():
            if (place / marker).is_dir():
                return client
        for prefix, client in _NAMES:
            if place.name == prefix or place.name.startswith(f"{prefix} - "):
                return client  # "OneDrive - Hospital Trust" is OneDrive for work
    if network_file_system(folder):
        return "a network file system"
    return None


_OCTAL = re.compile(r"\\([0-7]{3})")


def sync_warning(library: Path) -> str | None:
    """What to tell the user about where the library is (None: nothing to say)."""
    client = synced_by(library)
    if client is None:
        return None
    return (
        f"this library ({library}) is in a folder that {client} keeps in step with other "
        "machines. A SQLite library must not be synced while it is open: a copy taken in "
        "the middle of a write is damaged, and two laptops writing to one file lose each "
        "other's work. Keep the library on this computer and share findings through a club "
        "folder (File → Club folder, or `reviewapp club sync`), which is made for syncing."
    )


def network_file_system(folder: Path, mounts: str | None = None) -> bool:
    """Whether ``folder`` is on a network file system, by the mount that holds it
    (``mounts``: the text of Linux's /proc/mounts, read when not given)."""
    if mounts is None:
        if not sys.platform.startswith("linux"):
            return False
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
    real = os.path.realpath(folder)
    best, kind = "", ""
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), fields[1])  # "\\040" is " "
        inside = real == point or real.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):  # the deepest; of two at one place, the last
            best, kind = point, fields[2]
    return kind in _NETWORK_FILE_SYSTEMS
