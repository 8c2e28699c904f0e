"""Runs every `bench/bench_*.py` module's `run(report)` against a throwaway database."""

import importlib
import os
import pkgutil
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from django.db import connection  # noqa: E402 - after django.setup()
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from bench.harness import Report  # noqa: E402


def main() -> None:
    names = sorted(
        m.name
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if m.name.startswith("bench_")
    )
    old = setup_databases(verbosity=0, interactive=False)
    try:
        report = Report(database=f"{connection.vendor} ({connection.settings_dict['NAME']})")
        for name in names:
            importlib.import_module(f"bench.{name}").run(report)
        report.print()
    finally:
        teardown_databases(old, verbosity=0)


main()
