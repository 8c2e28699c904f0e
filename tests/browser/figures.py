"""The table of every page's figures, printed at the end of the run.

Each page test attaches its figures to its report (`record_property("page_figures", ...)`);
reports travel from xdist workers to the controller, so the table is complete under xdist too,
provided the controller loads these hooks: it does when it is given tests/browser (its
conftest re-exports them); a run from the repository root with `-n` needs them registered at
the root, e.g. `pytest_plugins = ["tests.browser.figures"]` in the root conftest.py.
"""

from __future__ import annotations

from typing import Any

import pytest

PROPERTY = "page_figures"
# nodeid → figures; module state, as pytest_runtest_logreport is given no config.
_rows: dict[str, dict[str, Any]] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "call":
        return
    for name, value in report.user_properties:
        if name == PROPERTY:
            _rows[report.nodeid] = dict(value)


def format_table(rows: list[dict[str, Any]]) -> list[str]:
    header = ("page", "viewer", "lang", "DOM", "requests", "KB", "score", "grade", "budgets")
    lines = [
        (
            row["key"],
            row["viewer"],
            row["lang"],
            str(row["dom"]),
            str(row["requests"]),
            f"{row['kb']:.1f}",
            str(row["score"]),
            row["grade"],
            "exempt" if row["weight_exempt"] else ("ok" if row["within_budgets"] else "OVER"),
        )
        for row in sorted(rows, key=lambda r: (r["key"], r["viewer"], r["lang"]))
    ]
    widths = [max(len(cells[i]) for cells in [header, *lines]) for i in range(len(header))]
    numeric = {3, 4, 5, 6}

    def render(cells: tuple[str, ...]) -> str:
        return "  ".join(
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ).rstrip()

    return [render(header), render(tuple("-" * w for w in widths)), *map(render, lines)]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    # Registered twice (conftest and root plugin)? Print once.
    if not _rows or getattr(terminalreporter, "_guichet_page_figures", False):
        return
    terminalreporter._guichet_page_figures = True
    terminalreporter.section("page figures (budgets: DOM <= 400, requests <= 6, <= 40 KB, >= 80)")
    for line in format_table(list(_rows.values())):
        terminalreporter.write_line(line)
