"""Allow ``python -m reviewapp``."""

from reviewapp.launcher import main

raise SystemExit(main())
