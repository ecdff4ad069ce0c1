"""Allow ``python -m reviewapp``."""

from reviewapp.launcher import main

# Guarded: the window's index process is started with "spawn", which imports the parent's
# main module again; unguarded, that would start a second reviewapp.
if __name__ == "__main__":
    raise SystemExit(main())
