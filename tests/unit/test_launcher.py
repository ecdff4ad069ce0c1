"""The ``reviewapp`` entry point: a command runs headless, without loading Qt (the window's
hand-over is tested in test_cli.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_a_command_runs_without_loading_qt(tmp_path: Path, articles_dir: Path) -> None:
    library = tmp_path / "lib.sqlite"
    probe = textwrap.dedent(f"""
        import json, sys
        from reviewapp import launcher
        code = launcher.main(["--library", {str(library)!r}, "import", {str(articles_dir)!r}])
        print(json.dumps({{"code": code, "qt": "PySide6" in sys.modules}}))
    """)
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"code": 0, "qt": False}
    assert library.is_file()
