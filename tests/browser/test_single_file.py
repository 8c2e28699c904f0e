"""Any one test file runs alone, the browser ones included (`pytest tests/browser/test_x.py`).

pytest-django creates the test database only for tests marked for it, and the browser tests
are not: run alone, a browser file used to load the demo into the development database, or
fail with "no such table" when that had none.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# One case of a short browser file: enough to go through the database and the live server.
ALONE = ["tests/browser/test_header.py", "-k", "request_new and fr and anonymous"]


@pytest.mark.browser
def test_one_browser_test_file_runs_alone_on_the_test_database(tmp_path: Path) -> None:
    development_database = tmp_path / "development.sqlite3"
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PYTEST_", "DJANGO_ALLOW_ASYNC"))
    }
    # SQLite, so that the run's test database (in memory) never collides with this one's.
    env["DATABASE_URL"] = f"sqlite:///{development_database}"
    command = [sys.executable, "-m", "pytest", *ALONE, "-q", "-p", "no:randomly"]
    command += ["-p", "no:cacheprovider", "-p", "no:xdist"]

    run = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )

    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "1 passed" in run.stdout
    assert not development_database.exists(), "the run touched the development database"
