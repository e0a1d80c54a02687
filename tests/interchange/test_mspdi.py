"""The MS Project XML reader and writer (pure): the real files saved by MS Project and
other tools, hostile XML, and the round trip of generated plans."""

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from clientfolio.interchange import mspdi
from clientfolio.interchange import plan as p
from tests.interchange.plans import plans, shape

TESTDATA = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "mspdi"
if not TESTDATA.is_dir():
    TESTDATA = Path("/work/shared/testdata/mspdi")
needs_testdata = pytest.mark.skipif(
    not TESTDATA.is_dir(),
    reason=f"the MSPDI test files are not here ({TESTDATA}); they live in shared/",
)


def read(name: str) -> tuple[p.Plan, p.Report]:
    return mspdi.read((TESTDATA / name).read_bytes())


@needs_testdata
@pytest.mark.parametrize(
    "name",
    sorted(path.name for path in TESTDATA.glob("*.xml")) if TESTDATA.is_dir() else [],
)
def test_every_real_file_is_read_and_writes_back_the_same_plan(name):
    # given a file saved by MS Project or another tool
    plan, report = read(name)

    # then each field read is accounted for, and writing and reading again changes nothing
    assert report.fields["calendar"].mapped == 1
    again, _report = mspdi.read(mspdi.write(plan))
    assert shape(again) == shape(plan)


@needs_testdata
def test_the_four_link_types_and_lags_are_read():
    plan, report = read("task-links-project2016-mspdi.xml")
    kinds = {link.kind for link in plan.links}
    assert kinds == {"FS", "SS", "FF", "SF"}
    # 4800 tenths of a minute = one 8-hour day; LagFormat 9 (weeks) 24000 = 5 days
    assert sorted(link.lag for link in plan.links) == [0, 1, 2, 2, 2, 2, 5, 10]
    assert report.fields["link"].mapped == 8


@needs_testdata
def test_leads_are_negative_lags_and_constraints_are_mapped():
    plan, report = read("sample.xml")
    assert -1 in {link.lag for link in plan.links}
    constrained = [t for t in plan.tasks if t.constraint == "snet"]
    assert [t.constraint_date for t in constrained] == [
        date(2003, 2, 1),
        date(2003, 3, 1),
        date(2003, 1, 8),
        date(2003, 1, 6),
    ]
    assert sum(t.is_milestone for t in plan.tasks) == 1
    assert report.ok


@needs_testdata
def test_durations_in_hours_and_elapsed_units_are_approximated_with_their_uid():
    plan, report = read("mspdiduration.xml")
    tally = report.fields["duration"]
    assert (tally.mapped, tally.approximated) == (3, 7)
    assert all(
        element.startswith("Task UID ") for _o, element, _c, _p in tally.examples
    )
    assert {code for _o, _e, code, _p in tally.examples} <= {
        "fraction_rounded",
        "elapsed_rounded",
    }


@needs_testdata
def test_baseline_resources_and_assignments_are_read():
    plan, _report = read("baselines.xml")
    assert plan.tasks[0].baseline_finish is not None
    plan, report = read("mspdiresource.xml")
    assert {r.email for r in plan.resources} >= {"wade.golden@steelray.com"}
    assert len(plan.assignments) == report.fields["assignment"].mapped == 5
    assert report.fields["actual_work"].dropped == 1


def test_an_xml_bomb_is_refused_before_it_expands():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b"<Project><Name>&lol3;</Name></Project>"
    )
    with pytest.raises(mspdi.NotMspdi) as error:
        mspdi.read(bomb)
    assert error.value.code == "unsafe_xml"


def test_an_external_entity_is_refused():
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<Project><Name>&x;</Name></Project>"
    )
    with pytest.raises(mspdi.NotMspdi) as error:
        mspdi.read(xxe)
    assert error.value.code == "unsafe_xml"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"PK\x03\x04 not xml at all", "not_xml"),
        (b"<Project><Tasks>", "not_xml"),
        (b'<?xml version="1.0"?><html><body/></html>', "not_project"),
    ],
)
def test_what_is_not_a_project_file_is_refused_with_its_reason(data, code):
    with pytest.raises(mspdi.NotMspdi) as error:
        mspdi.read(data)
    assert error.value.code == code


def test_a_cycle_and_a_missing_predecessor_are_problems_with_their_uid():
    xml = (
        b'<Project xmlns="http://schemas.microsoft.com/project"><Tasks>'
        b"<Task><UID>1</UID><Name>A</Name><OutlineLevel>1</OutlineLevel>"
        b"<PredecessorLink><PredecessorUID>2</PredecessorUID></PredecessorLink></Task>"
        b"<Task><UID>2</UID><Name>B</Name><OutlineLevel>1</OutlineLevel>"
        b"<PredecessorLink><PredecessorUID>1</PredecessorUID></PredecessorLink>"
        b"<PredecessorLink><PredecessorUID>9</PredecessorUID></PredecessorLink></Task>"
        b"</Tasks></Project>"
    )
    _plan, report = mspdi.read(xml)
    codes = {(problem.code, problem.element) for problem in report.problems}
    assert ("link_missing_task", "Task UID 2 ← 9") in codes
    assert any(code == "cycle" for code, _element in codes)


def test_a_percent_lag_becomes_that_share_of_the_predecessor():
    xml = (
        b'<Project xmlns="http://schemas.microsoft.com/project"><Tasks>'
        b"<Task><UID>1</UID><Name>A</Name><OutlineLevel>1</OutlineLevel>"
        b"<Duration>PT80H0M0S</Duration></Task>"
        b"<Task><UID>2</UID><Name>B</Name><OutlineLevel>1</OutlineLevel>"
        b"<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>3</Type>"
        b"<LinkLag>50</LinkLag><LagFormat>19</LagFormat></PredecessorLink></Task>"
        b"</Tasks></Project>"
    )
    plan, report = mspdi.read(xml)
    assert (plan.links[0].kind, plan.links[0].lag, plan.links[0].lag_percent) == (
        "SS",
        5,
        50.0,
    )
    assert report.fields["lag"].approximated == 1


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_export_then_import_gives_the_same_plan(plan):
    again, report = mspdi.read(mspdi.write(plan))
    assert report.ok, report.problems
    assert shape(again) == shape(plan)
