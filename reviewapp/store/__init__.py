"""The SQLite library (through sqlite-utils): schema, migrations and repositories."""

from reviewapp.store.database import Library, LibraryError, open_library

__all__ = ["Library", "LibraryError", "open_library"]
