"""The closure checklist's pure logic: properties over any counts, and the decisions."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientfolio.closure import checklist
from clientfolio.closure.checklist import (
    ITEM_KEYS,
    MET,
    NOT_APPLICABLE,
    NOT_MET,
    Facts,
    evaluate,
    is_ready,
    unmet,
)

counts = st.integers(min_value=0, max_value=50)


@st.composite
def facts(draw):
    """Consistent counts: the open part never exceeds the total."""
    values = {}
    for total, part in [
        ("deliverables", "deliverables_unaccepted"),
        ("milestones", "milestones_open"),
        ("invoices", "invoices_unpaid"),
        ("change_requests", "change_requests_open"),
        ("action_items", "action_items_open"),
        ("issues", "issues_open"),
    ]:
        values[total] = draw(counts)
        values[part] = draw(st.integers(0, values[total]))
    values["risks"] = draw(counts)
    values["risks_open"] = draw(st.integers(0, values["risks"]))
    values["risks_occurred_unsettled"] = draw(
        st.integers(0, values["risks"] - values["risks_open"])
    )
    values["documents"] = draw(counts)
    values["documents_handed_over"] = draw(st.integers(0, values["documents"]))
    values["documents_shared_not_handed_over"] = draw(
        st.integers(0, values["documents"] - values["documents_handed_over"])
    )
    return Facts(**values)


@given(facts())
def test_every_item_is_present_once_in_order(f):
    assert [item.key for item in evaluate(f)] == list(ITEM_KEYS)


@given(facts())
def test_an_item_is_not_met_exactly_when_something_is_missing(f):
    for item in evaluate(f):
        assert (item.status == NOT_MET) == (item.count > 0)
        assert item.status in (MET, NOT_MET, NOT_APPLICABLE)
        if item.status == NOT_APPLICABLE:
            assert item.total == 0
        assert item.count <= max(item.total, item.count)


@given(facts())
def test_ready_means_no_unmet_item(f):
    items = evaluate(f)
    assert is_ready(items) == (unmet(items) == [])
    assert all(item.is_met for item in items) == is_ready(items)


def test_an_empty_project_is_ready_and_everything_is_not_applicable():
    items = evaluate(Facts())
    assert {item.status for item in items} == {NOT_APPLICABLE}
    assert is_ready(items)


def test_unaccepted_deliverables_block_with_their_count():
    item = evaluate(Facts(deliverables=3, deliverables_unaccepted=2))[0]
    assert (item.status, item.count, item.total) == (NOT_MET, 2, 3)


def test_occurred_risks_without_a_resolved_issue_count_as_open():
    # given one closed risk and one occurred risk whose issue is still open
    items = {i.key: i for i in evaluate(Facts(risks=2, risks_occurred_unsettled=1))}
    # then the risks item is not met, with one risk in the way
    assert items["risks"].status == NOT_MET
    assert items["risks"].count == 1


def test_documents_need_a_handover_listing_every_shared_document():
    def documents(**kw):
        return {i.key: i for i in evaluate(Facts(**kw))}["documents"]

    # no documents at all: not applicable
    assert documents().status == NOT_APPLICABLE
    # documents kept but nothing handed over: not met, every document a candidate
    assert (documents(documents=4).status, documents(documents=4).count) == (
        NOT_MET,
        4,
    )
    # handed over, but a shared document is missing from the record
    missing = documents(
        documents=4, documents_handed_over=2, documents_shared_not_handed_over=1
    )
    assert (missing.status, missing.count) == (NOT_MET, 1)
    # handed over, every shared document in it
    assert documents(documents=4, documents_handed_over=2).status == MET


def test_negative_or_non_integer_counts_are_refused():
    with pytest.raises(ValueError, match="deliverables"):
        Facts(deliverables=-1)
    with pytest.raises(ValueError, match="issues"):
        Facts(issues=1.5)  # type: ignore[arg-type]


def test_the_module_is_pure():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(checklist))
    imported = {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    } | {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert "django" not in imported
