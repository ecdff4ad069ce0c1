"""The bundle's entry point (PyInstaller runs this file as ``__main__``).

``multiprocessing.freeze_support()`` comes first: the window's index process and the file
reader's process are started with "spawn", which in a bundle runs the bundle's own program
again with ``--multiprocessing-fork``; freeze_support turns that run into the child (on
every system: PyInstaller's runtime hook extends it beyond Windows) before any of
reviewapp loads. The guard keeps a spawned child, which imports this file again as
``__mp_main__``, from starting a second reviewapp.
"""

from __future__ import annotations

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from reviewapp.launcher import main

    sys.exit(main())
