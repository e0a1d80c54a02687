"""Generated plans for the property tests: a valid outline, links only between leaf
tasks and only forwards (so never a cycle), a calendar with exceptions, people and
their assignments."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from clientfolio.interchange import plan as p


@st.composite
def plans(draw, max_tasks: int = 25) -> p.Plan:
    count = draw(st.integers(min_value=1, max_value=max_tasks))
    start = date(2026, 1, 5) + timedelta(days=draw(st.integers(0, 400)))
    levels = [1]
    for _index in range(count - 1):
        levels.append(draw(st.integers(1, min(levels[-1] + 1, 4))))
    tasks = []
    for index, level in enumerate(levels):
        milestone = draw(st.booleans()) and draw(st.booleans())
        constraint = draw(st.sampled_from(["asap", "asap", "snet", "fnlt"]))
        percent = draw(st.sampled_from([0, 0, 25, 50, 100]))
        actual_start = start + timedelta(days=index) if percent else None
        tasks.append(
            p.PlanTask(
                key=str(index + 1),
                name=draw(
                    st.text(
                        alphabet=st.sampled_from(
                            "需求调研上线验收设计 ABCxyz-=+&<>\"'"
                        ),
                        min_size=1,
                        max_size=30,
                    ).filter(lambda s: s.strip() == s and s.strip())
                ),
                outline_level=level,
                duration=0 if milestone else draw(st.integers(0, 60)),
                is_milestone=milestone,
                constraint=constraint,
                constraint_date=None
                if constraint == "asap"
                else start + timedelta(days=draw(st.integers(0, 200))),
                percent_complete=percent,
                actual_start=actual_start,
                actual_finish=actual_start + timedelta(days=3)
                if percent == 100 and actual_start
                else None,
                baseline_start=start if index % 2 else None,
                baseline_finish=start + timedelta(days=10) if index % 2 else None,
                baseline_duration=8 if index % 2 else None,
                notes=draw(st.sampled_from(["", "备注 & <说明>"])),
                priority=draw(st.sampled_from(["low", "medium", "high", "critical"])),
            )
        )
    parent_of = p.parents(tasks)
    summaries = {i for i in parent_of if i is not None}
    for index in summaries:
        tasks[index].is_milestone = False
    leaves = [i for i in range(count) if i not in summaries]
    links = []
    seen = set()
    for _n in range(draw(st.integers(0, min(30, len(leaves) * 2)))):
        if len(leaves) < 2:
            break
        a, b = sorted(
            draw(st.lists(st.sampled_from(leaves), min_size=2, max_size=2, unique=True))
        )
        if (a, b) in seen:
            continue
        seen.add((a, b))
        links.append(
            p.Link(
                tasks[a].key,
                tasks[b].key,
                draw(st.sampled_from(p.LINK_KINDS)),
                draw(st.integers(-5, 10)),
            )
        )
    workdays = frozenset(
        draw(st.sets(st.integers(0, 6), min_size=1, max_size=7)) or {0, 1, 2, 3, 4}
    )
    days = sorted(draw(st.sets(st.integers(0, 500), max_size=8)))
    exceptions = [
        p.CalendarException(
            start + timedelta(days=d),
            draw(st.booleans()),
            draw(st.sampled_from(["", "国庆节"])),
        )
        for d in days
    ]
    resources = [
        p.Resource(str(i + 1), f"成员{i}", f"person{i}@example.com")
        for i in range(draw(st.integers(0, 3)))
    ]
    assignments = []
    if resources:
        for index in leaves[:5]:
            assignments.append(
                p.Assignment(
                    tasks[index].key,
                    draw(st.sampled_from(resources)).key,
                    Decimal(draw(st.integers(0, 80))),
                )
            )
    return p.Plan(
        name="生成的计划",
        start=start,
        tasks=tasks,
        links=links,
        calendar=p.Calendar("Standard", workdays, exceptions),
        resources=resources,
        assignments=assignments,
        baseline_name="Baseline" if any(t.baseline_start for t in tasks) else "",
    )


def shape(plan: p.Plan) -> dict:
    """What must survive a round trip, independent of the keys a format renumbers."""
    index = {task.key: i for i, task in enumerate(plan.tasks)}
    people = {r.key: (r.name, r.email) for r in plan.resources}
    tasks = []
    for task in plan.tasks:
        values = dict(vars(task))
        for name in ("key", "element"):
            values.pop(name)
        tasks.append(values)
    return {
        "name": plan.name,
        "start": plan.start,
        "tasks": tasks,
        "links": sorted(
            (index[link.predecessor], index[link.successor], link.kind, link.lag)
            for link in plan.links
        ),
        "workdays": plan.calendar.workdays,
        "exceptions": [(e.day, e.working, e.name) for e in plan.calendar.exceptions],
        "people": sorted(people.values()),
        "assignments": sorted(
            (index[a.task], people[a.resource], a.hours) for a in plan.assignments
        ),
    }
