"""The life-cycle tables of requirements and change requests: pure, no database."""

from hypothesis import given
from hypothesis import strategies as st

from clientfolio.projects import workflow

CHANGE_STATUSES = sorted(workflow.CHANGE_TRANSITIONS)
REQUIREMENT_STATUSES = sorted(workflow.REQUIREMENT_TRANSITIONS)
ALLOWED_CHANGE_EDGES = {
    ("submitted", "evaluating"),
    ("submitted", "rejected"),
    ("evaluating", "awaiting_client"),
    ("evaluating", "rejected"),
    ("awaiting_client", "approved"),
    ("awaiting_client", "rejected"),
    ("approved", "implemented"),
}


@st.composite
def change_paths(draw):
    """A walk from submitted that takes a random allowed step until none is left."""
    path = [workflow.CHANGE_INITIAL]
    while steps := workflow.next_change_statuses(path[-1]):
        path.append(draw(st.sampled_from(steps)))
    return path


@given(change_paths())
def test_every_path_from_submitted_passes_only_allowed_edges(path):
    # given any path a change request can take from submitted
    # then every step is one of the allowed edges
    for step in zip(path, path[1:], strict=False):
        assert step in ALLOWED_CHANGE_EDGES
    # and the path ends in a final state, after at most four steps, never revisiting one
    assert path[-1] in {"rejected", "implemented"}
    assert len(path) <= 5
    assert len(set(path)) == len(path)


@given(st.sampled_from(CHANGE_STATUSES), st.text(max_size=20))
def test_a_step_to_anything_outside_the_table_is_not_offered(status, target):
    # given any status and any target that is not an allowed edge
    if (status, target) in ALLOWED_CHANGE_EDGES:
        return
    # then it is not among the next statuses
    assert target not in workflow.next_change_statuses(status)


def test_the_table_is_exactly_the_allowed_edges():
    edges = {
        (source, target)
        for source, targets in workflow.CHANGE_TRANSITIONS.items()
        for target in targets
    }
    assert edges == ALLOWED_CHANGE_EDGES


def test_terminal_states_have_no_exits_and_approved_only_leads_to_implemented():
    assert workflow.next_change_statuses("rejected") == ()
    assert workflow.next_change_statuses("implemented") == ()
    assert workflow.next_change_statuses("approved") == ("implemented",)
    assert workflow.is_terminal("rejected")
    assert workflow.is_terminal("implemented")
    assert not workflow.is_terminal("approved")


def test_every_state_is_reachable_from_submitted():
    reached, frontier = {workflow.CHANGE_INITIAL}, [workflow.CHANGE_INITIAL]
    while frontier:
        for target in workflow.next_change_statuses(frontier.pop()):
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(CHANGE_STATUSES)


def test_an_unknown_status_has_no_next_steps():
    assert workflow.next_change_statuses("teleported") == ()
    assert workflow.next_requirement_statuses("teleported") == ()


@given(st.sampled_from(CHANGE_STATUSES), st.sampled_from(CHANGE_STATUSES))
def test_only_approving_or_rejecting_an_awaiting_change_is_the_clients_decision(
    source, target
):
    expected = source == "awaiting_client" and target in {"approved", "rejected"}
    assert workflow.is_client_decision(source, target) is expected


def test_decided_and_pending_split_the_statuses():
    assert workflow.CHANGE_DECIDED | workflow.CHANGE_PENDING == set(CHANGE_STATUSES)
    assert not workflow.CHANGE_DECIDED & workflow.CHANGE_PENDING
    assert workflow.CHANGE_IMPACT_COUNTED <= workflow.CHANGE_DECIDED
    assert all(workflow.is_decided(s) for s in workflow.CHANGE_DECIDED)


@st.composite
def requirement_paths(draw):
    path = [workflow.REQUIREMENT_INITIAL]
    while steps := workflow.next_requirement_statuses(path[-1]):
        path.append(draw(st.sampled_from(steps)))
    return path


@given(requirement_paths())
def test_a_requirement_moves_forward_one_step_at_a_time_or_is_rejected(path):
    # given any path a requirement can take from collected
    forward = ["collected", "confirmed", "in_scope", "delivered"]
    # then it follows the forward order, possibly ending in rejected
    if path[-1] == "rejected":
        assert path[:-1] == forward[: len(path) - 1]
        assert len(path) <= 4
    else:
        assert path == forward


def test_final_requirement_states_have_no_exits():
    assert workflow.next_requirement_statuses("delivered") == ()
    assert workflow.next_requirement_statuses("rejected") == ()
    assert set(REQUIREMENT_STATUSES) == {
        "collected",
        "confirmed",
        "in_scope",
        "delivered",
        "rejected",
    }
