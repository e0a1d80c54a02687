"""The template document, its schema and the plan it turns into: pure, no database."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientfolio.blueprints import builtin, structure
from clientfolio.schedule import engine


@st.composite
def templates(draw, max_tasks=20):
    """A valid template: a task tree in order (each parent before its children) and
    links between leaves that only go forward (so never a cycle)."""
    count = draw(st.integers(min_value=1, max_value=max_tasks))
    tasks = []
    for index in range(count):
        parent = (
            draw(st.one_of(st.none(), st.integers(0, index - 1))) if index else None
        )
        tasks.append(
            {
                "ref": f"t{index}",
                "parent": None if parent is None else f"t{parent}",
                "name": {"zh": f"任务{index}", "en": f"Task {index}"},
                "duration": draw(st.integers(0, 15)),
            }
        )
    parents = {t["parent"] for t in tasks}
    leaves = [i for i, t in enumerate(tasks) if t["ref"] not in parents]
    for task in tasks:
        if task["ref"] not in parents and task["duration"] == 0:
            task["milestone"] = True
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(leaves), st.sampled_from(leaves)),
            max_size=2 * len(leaves),
        )
    )
    links, seen = [], set()
    for a, b in pairs:
        if a == b or (min(a, b), max(a, b)) in seen:
            continue
        seen.add((min(a, b), max(a, b)))
        links.append(
            {
                "from": f"t{min(a, b)}",
                "to": f"t{max(a, b)}",
                "type": draw(st.sampled_from(structure.LINK_TYPES)),
                "lag": draw(st.integers(-3, 5)),
            }
        )
    return {"tasks": tasks, "links": links}


@settings(max_examples=60, deadline=None)
@given(templates())
def test_a_valid_template_validates_to_a_fixed_point(document):
    checked = structure.validate(document)
    again = structure.validate(checked.as_document())
    assert again == checked
    assert len(checked.tasks) == len(document["tasks"])


@settings(max_examples=60, deadline=None)
@given(templates())
def test_the_plan_numbers_the_tree_like_the_schedule_does(document):
    planned = structure.plan(structure.validate(document), "en")
    codes = [p.wbs for p in planned]
    assert len(set(codes)) == len(codes)
    by_ref = {p.ref: p for p in planned}
    for item in planned:
        if item.parent is None:
            assert item.wbs == str(item.position)
        else:
            assert item.wbs == f"{by_ref[item.parent].wbs}.{item.position}"
    # siblings are numbered 1..n in order
    siblings: dict = {}
    for item in planned:
        siblings.setdefault(item.parent, []).append(item.position)
    assert all(p == list(range(1, len(p) + 1)) for p in siblings.values())


@settings(max_examples=40, deadline=None)
@given(templates(max_tasks=12), st.data())
def test_a_link_back_along_a_chain_is_refused_as_a_cycle(document, data):
    checked = structure.validate(document)
    forward = list(checked.links)
    if not forward:
        return
    link = data.draw(st.sampled_from(forward))
    document["links"].append({"from": link["to"], "to": link["from"]})
    with pytest.raises(structure.StructureError) as error:
        structure.validate(document)
    assert error.value.code in ("cycle", "duplicate_link")
    if error.value.code == "cycle":
        cycle = error.value.params["cycle"]
        assert cycle[0] == cycle[-1]
        assert {link["from"], link["to"]} <= set(cycle)


holiday_sets = st.sets(
    st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 3, 31)), max_size=20
)


@settings(max_examples=40, deadline=None)
@given(
    templates(max_tasks=15),
    st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 2, 28)),
    holiday_sets,
)
def test_the_engine_schedules_a_template_from_its_first_working_day(
    document, start, holidays
):
    # given a template and a calendar with holidays
    checked = structure.validate(document)
    calendar = engine.Calendar(holidays=holidays)
    first = structure.first_working_day(calendar, start)
    ids = {t["ref"]: i for i, t in enumerate(checked.tasks, start=1)}
    leaves = [t for t in checked.tasks if t["ref"] not in checked.summaries]

    # when the engine schedules its leaf tasks and links
    result = engine.schedule(
        [engine.TaskInput(id=ids[t["ref"]], duration=t["duration"]) for t in leaves],
        [
            engine.Link(ids[link["from"]], ids[link["to"]], link["type"], link["lag"])
            for link in checked.links
        ],
        calendar,
        project_start=first,
    )

    # then the plan starts on a working day no earlier than asked, and tasks
    # without predecessors start on it
    assert first >= start
    assert calendar.is_workday(first)
    assert (first - start) < timedelta(days=40)
    successors = {link["to"] for link in checked.links}
    for task in leaves:
        computed = result.tasks[ids[task["ref"]]]
        if task["ref"] not in successors:
            assert computed.early_start == first
        if task["duration"]:
            assert calendar.is_workday(computed.early_start)


def test_text_falls_back_to_the_other_language():
    assert structure.text({"zh": "验收", "en": "Acceptance"}, "zh-hans") == "验收"
    assert structure.text({"zh": "验收", "en": "Acceptance"}, "en") == "Acceptance"
    assert structure.text({"zh": "验收"}, "en") == "验收"
    assert structure.text({}, "zh") == ""


@pytest.mark.parametrize(
    ("document", "code", "path"),
    [
        ([], "not_object", ""),
        ({"schema": 2}, "bad_schema", "schema"),
        ({"tasks": "x"}, "not_list", "tasks"),
        ({"stuff": []}, "unknown_key", "stuff"),
        ({"tasks": [{"ref": "a"}]}, "required", "tasks[0].name"),
        (
            {"tasks": [{"ref": "a", "name": "x", "parent": "b"}]},
            "unknown_parent",
            "tasks[0].parent",
        ),
        (
            {"tasks": [{"ref": "a", "name": "x", "duration": -1}]},
            "out_of_range",
            "tasks[0].duration",
        ),
        (
            {"tasks": [{"ref": "a", "name": "x", "duration": True}]},
            "not_integer",
            "tasks[0].duration",
        ),
        (
            {"tasks": [{"ref": "a", "name": "x", "milestone": True, "duration": 3}]},
            "milestone_duration",
            "tasks[0].duration",
        ),
        (
            {
                "tasks": [{"ref": "a", "name": "x"}, {"ref": "a", "name": "y"}],
            },
            "duplicate_ref",
            "tasks[1].ref",
        ),
        (
            {
                "tasks": [{"ref": "a", "name": "x"}, {"ref": "b", "name": "y"}],
                "links": [{"from": "a", "to": "c"}],
            },
            "unknown_ref",
            "links[0].to",
        ),
        (
            {
                "tasks": [
                    {"ref": "s", "name": "阶段"},
                    {"ref": "a", "name": "x", "parent": "s"},
                    {"ref": "b", "name": "y"},
                ],
                "links": [{"from": "s", "to": "b"}],
            },
            "summary_link",
            "links[0].from",
        ),
        (
            {
                "tasks": [{"ref": "a", "name": "x"}, {"ref": "b", "name": "y"}],
                "links": [{"from": "a", "to": "b", "type": "XX"}],
            },
            "bad_choice",
            "links[0].type",
        ),
        (
            {
                "tasks": [
                    {"ref": "a", "name": "x"},
                    {"ref": "b", "name": "y"},
                    {"ref": "c", "name": "z"},
                ],
                "links": [
                    {"from": "a", "to": "b"},
                    {"from": "b", "to": "c"},
                    {"from": "c", "to": "a"},
                ],
            },
            "cycle",
            "links",
        ),
        (
            {
                "tasks": [{"ref": "a", "name": "x"}],
                "deliverables": [{"name": "报告", "milestone": "a"}],
            },
            "not_milestone",
            "deliverables[0].milestone",
        ),
        (
            {"risks": [{"title": "延期", "probability": 6}]},
            "out_of_range",
            "risks[0].probability",
        ),
    ],
)
def test_a_document_off_the_schema_is_refused_with_its_place(document, code, path):
    with pytest.raises(structure.StructureError) as error:
        structure.validate(document)
    assert (error.value.code, error.value.path) == (code, path)


@pytest.mark.parametrize("definition", builtin.TEMPLATES, ids=lambda d: d["key"])
def test_the_built_in_templates_are_realistic_and_bilingual(definition):
    checked = structure.validate(builtin.document(definition))
    assert 15 <= len(checked.tasks) <= 30
    assert all(set(t["name"]) == {"zh", "en"} for t in checked.tasks)
    assert len(checked.milestones) >= 3
    assert all(set(m["acceptance"]) == {"zh", "en"} for m in checked.milestones[-1:])
    assert checked.folders
    assert checked.risks
    assert checked.standards
    assert checked.deliverables
    assert checked.roles
    assert checked.links


def test_the_software_template_runs_from_discovery_to_acceptance():
    planned = structure.plan(
        structure.validate(builtin.document(builtin.SOFTWARE)), "zh"
    )
    phases = [p.name for p in planned if p.parent is None]
    assert phases == [
        "项目启动",
        "需求调研",
        "方案设计",
        "开发",
        "测试",
        "上线",
        "验收",
    ]
