"""A small plan for the Gantt, timeline and feed tests, built through the services.

Two phases (设计, 开发) on a project starting Monday 2026-03-02:
A (3 d) → B (2 d) → C (5 d) → 验收里程碑 (client-visible, 5 days of buffer), and A → D (1 d),
which has float. The critical path is A, B, C and the milestone. The status date is
the start, so the dates do not depend on today; the project buffer is 4 working days.
"""

from datetime import date
from types import SimpleNamespace

from clientfolio.schedule import services
from clientfolio.schedule.models import Dependency, Task

START = date(2026, 3, 2)


def build_plan(project, *, owner=None) -> SimpleNamespace:
    project.starts_on = START
    project.save(update_fields=["starts_on"])
    settings_row = services.ensure_schedule(project)
    settings_row.status_date = START
    settings_row.buffer_days = 4
    settings_row.save(update_fields=["status_date", "buffer_days"])

    def task(name, parent=None, **fields):
        return services.create_task(
            Task(project=project, parent=parent, name=name, **fields),
            recompute_after=False,
        )

    design = task("设计")
    develop = task("开发")
    a = task("需求调研", design, duration=3, owner=owner)
    b = task("方案设计", design, duration=2)
    c = task("编码实现", develop, duration=5)
    d = task("环境准备", develop, duration=1, owner=owner)
    milestone = task(
        "验收里程碑",
        develop,
        is_milestone=True,
        duration=0,
        is_client_visible=True,
        buffer_days=5,
    )
    for predecessor, successor in ((a, b), (b, c), (c, milestone), (a, d)):
        services.add_dependency(
            Dependency(project=project, predecessor=predecessor, successor=successor)
        )
    services.recompute(project)
    tasks = {t.pk: t for t in Task.objects.filter(project=project)}
    return SimpleNamespace(
        design=tasks[design.pk],
        develop=tasks[develop.pk],
        a=tasks[a.pk],
        b=tasks[b.pk],
        c=tasks[c.pk],
        d=tasks[d.pk],
        milestone=tasks[milestone.pk],
    )
