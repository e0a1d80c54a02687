"""Benchmark of the schedule engine: ``.venv/bin/python bench/engine_bench.py``.

Generates a seeded random project of 100,000 tasks and 150,000 links (mostly FS, some SS
and FF with lags and a few leads; 5% milestones; in phases, so it spans about four years) on the Chinese working calendar for
2025-2028 (statutory holidays and make-up workdays from the ``holidays`` package, or a
hard-coded 2025-2026 list without it), then times:

* ``engine.schedule`` on it (best and median of 3 runs);
* networkx's plain longest path (``nx.dag_longest_path``, durations as edge weights) on the
  same graph, if networkx is installed (it is not a Clientfolio dependency);
* the Monte Carlo forecast, 10,000 runs on a 1,000-task project.

``main()`` prints a Markdown table and returns its rows (scenario, best, median, target)
so ``bench/run.py`` can include them.
"""

from __future__ import annotations

import importlib
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clientfolio.schedule import engine, montecarlo  # noqa: E402

SEED = 20260401
PROJECT_START = date(2025, 1, 6)

# Used only when the holidays package is missing: 2025 and 2026 as published.
FALLBACK_HOLIDAYS = [
    "2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-03",
    "2025-02-04", "2025-04-04", "2025-05-01", "2025-05-02", "2025-05-05", "2025-06-02",
    "2025-10-01", "2025-10-02", "2025-10-03", "2025-10-06", "2025-10-07", "2025-10-08",
    "2026-01-01", "2026-01-02", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
    "2026-02-20", "2026-02-23", "2026-04-06", "2026-05-01", "2026-05-04", "2026-05-05",
    "2026-06-19", "2026-09-25", "2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06",
    "2026-10-07",
]  # fmt: skip
FALLBACK_WORKDAYS = [
    "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
]  # fmt: skip


def chinese_calendar(years: range = range(2025, 2029)) -> engine.Calendar:
    """The Chinese working calendar for ``years`` (holidays and 调休 make-up days)."""
    try:
        holidays = importlib.import_module("holidays")
    except ImportError:
        return engine.Calendar(
            holidays=frozenset(date.fromisoformat(d) for d in FALLBACK_HOLIDAYS),
            extra_workdays=frozenset(date.fromisoformat(d) for d in FALLBACK_WORKDAYS),
        )
    china = holidays.China(years=years)
    return engine.Calendar(
        holidays=frozenset(china.keys()),
        extra_workdays=frozenset(d for d in china.weekend_workdays if d.year in years),
    )


def random_project(
    n_tasks: int, n_links: int, seed: int = SEED
) -> tuple[list[engine.TaskInput], list[engine.Link]]:
    """A random acyclic network in phases of about 1,000 tasks (at least 10 phases):
    each link goes from a task to a task in one of the next two phases, so the project
    is wide, as real ones are, and spans a few years rather than a century."""
    rng = random.Random(seed)
    tasks = [
        engine.TaskInput(
            id=i + 1, duration=0 if rng.random() < 0.05 else rng.randint(1, 15)
        )
        for i in range(n_tasks)
    ]
    phases = max(10, n_tasks // 1000)
    size = n_tasks / phases
    seen: set[tuple[int, int]] = set()
    links: list[engine.Link] = []
    while len(links) < n_links:
        u = rng.randrange(int(size * (phases - 1)))
        phase = min(phases - 1, int(u / size) + rng.randint(1, 2))
        v = rng.randrange(int(size * phase), min(n_tasks, int(size * (phase + 1))))
        if (u, v) in seen:
            continue
        seen.add((u, v))
        r = rng.random()
        if r < 0.8:
            kind, lag = "FS", (rng.randint(-2, 5) if rng.random() < 0.1 else 0)
        elif r < 0.9:
            kind, lag = "SS", rng.randint(0, 5)
        else:
            kind, lag = "FF", rng.randint(0, 3)
        links.append(engine.Link(u + 1, v + 1, kind, lag))
    return tasks, links


def three_point(
    tasks: list[engine.TaskInput], seed: int = SEED
) -> dict[int, tuple[int, int, int]]:
    """Optimistic, most likely and pessimistic durations around each task's duration."""
    rng = random.Random(seed)
    return {
        t.id: (max(1, t.duration - rng.randint(0, 2)), t.duration, t.duration * 2)
        for t in tasks
        if t.duration
    }


def timed(function: Callable[[], Any], repeat: int = 3) -> tuple[float, float]:
    """Best and median wall time in seconds over ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return min(times), statistics.median(times)


def main() -> list[tuple[str, str, str, str]]:
    """Run the benchmarks, print a Markdown table and return its rows."""
    calendar = chinese_calendar()
    tasks, links = random_project(100_000, 150_000)
    rows: list[tuple[str, str, str, str]] = []

    def run_engine() -> engine.Schedule:
        return engine.schedule(tasks, links, calendar, project_start=PROJECT_START)

    result = run_engine()
    best, median = timed(run_engine)
    rows.append(
        (
            "Engine: 100,000 tasks, 150,000 links, Chinese calendar",
            f"{best:.2f} s",
            f"{median:.2f} s",
            "≤ 1.5 s",
        )
    )
    try:
        nx = importlib.import_module("networkx")
    except ImportError:
        nx = None
    if nx is not None:
        duration = {t.id: t.duration for t in tasks}

        def build() -> Any:
            graph = nx.DiGraph()
            graph.add_nodes_from(duration)
            graph.add_weighted_edges_from(
                (link.predecessor, link.successor, duration[link.predecessor])
                for link in links
            )
            return graph

        graph = build()
        best_nx, median_nx = timed(lambda: nx.dag_longest_path(graph))
        best_build, median_build = timed(build)
        rows.append(
            (
                "networkx dag_longest_path, same graph (graph prebuilt)",
                f"{best_nx:.2f} s",
                f"{median_nx:.2f} s",
                "reference",
            )
        )
        rows.append(
            (
                "networkx DiGraph build, same graph",
                f"{best_build:.2f} s",
                f"{median_build:.2f} s",
                "reference",
            )
        )

    mc_tasks, mc_links = random_project(1_000, 1_500, seed=SEED + 1)
    estimates = three_point(mc_tasks)
    milestones = [t.id for t in mc_tasks if not t.duration][:10]

    def run_forecast() -> montecarlo.Forecast:
        return montecarlo.forecast(
            mc_tasks,
            mc_links,
            calendar,
            project_start=PROJECT_START,
            estimates=estimates,
            milestones=milestones,
            planned={0: date(2026, 6, 30)},
            runs=10_000,
            seed=SEED,
        )

    best_mc, median_mc = timed(run_forecast)
    rows.append(
        (
            "Monte Carlo: 10,000 runs, 1,000 tasks, 1,500 links",
            f"{best_mc:.2f} s",
            f"{median_mc:.2f} s",
            "≤ 2 s",
        )
    )

    print("| Scenario | Best of 3 | Median of 3 | Target |")
    print("|---|---:|---:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(
        f"\nProject finish {result.finish}, {len(result.critical_path)} critical tasks; "
        f"Python {sys.version.split()[0]}."
    )
    return rows


if __name__ == "__main__":
    main()
