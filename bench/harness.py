"""Timing and reporting for the benchmarks: medians and 95th percentiles, printed as a table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Figure:
    name: str
    samples_ms: list[float]
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@dataclass
class Report:
    database: str
    figures: list[Figure] = field(default_factory=list)

    def time(
        self, name: str, action: Callable[[], object], *, runs: int = 100, note: str = ""
    ) -> Figure:
        action()  # warm-up: caches, compiled templates, first connection
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            action()
            samples.append((time.perf_counter() - start) * 1000)
        figure = Figure(name, samples, note)
        self.figures.append(figure)
        return figure

    def print(self) -> None:
        width = max([len(f.name) for f in self.figures] + [9])
        print(f"\nBenchmarks on {self.database}")
        print(f"{'benchmark':<{width}}  {'runs':>5}  {'median ms':>9}  {'p95 ms':>8}  note")
        for f in self.figures:
            runs = len(f.samples_ms)
            print(f"{f.name:<{width}}  {runs:>5}  {f.median:>9.2f}  {f.p95:>8.2f}  {f.note}")
