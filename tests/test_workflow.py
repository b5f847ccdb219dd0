from __future__ import annotations

import itertools

import pytest

from desk.model.article import Status
from desk.model.workflow import (
    ACTION_LABELS,
    ROLES,
    WorkflowError,
    allowed_transitions,
    check_transition,
)

D, R, C, A, P = (
    Status.DRAFT,
    Status.IN_REVIEW,
    Status.CHANGES_REQUESTED,
    Status.APPROVED,
    Status.PUBLISHED,
)

#: The whole graph, written out so any change to it is a deliberate one.
EXPECTED = {
    (D, R): {"writer", "editor"},
    (R, C): {"editor"},
    (R, A): {"editor"},
    (C, R): {"writer", "editor"},
    (A, P): {"editor"},
    (A, C): {"editor"},
    (P, C): {"editor"},
}


@pytest.mark.parametrize(("old", "new"), list(itertools.product(Status, Status)))
@pytest.mark.parametrize("role", ROLES)
def test_every_pair_of_states_for_every_role(old, new, role):
    if role in EXPECTED.get((old, new), set()):
        check_transition(old, new, role)
    else:
        with pytest.raises(WorkflowError):
            check_transition(old, new, role)


def test_allowed_transitions_match_the_graph():
    for status in Status:
        assert set(allowed_transitions(status)) == {n for (o, n) in EXPECTED if o == status}
        for role in ROLES:
            assert set(allowed_transitions(status, role)) == {
                n for (o, n), who in EXPECTED.items() if o == status and role in who
            }


def test_menus_only_offer_what_check_transition_accepts():
    for status, role in itertools.product(Status, ROLES):
        for target in allowed_transitions(status, role):
            check_transition(status, target, role)
            assert ACTION_LABELS[target]


def test_nothing_goes_back_to_draft():
    assert all(D not in allowed_transitions(s) for s in Status)


def test_a_writer_is_told_only_editors_approve():
    with pytest.raises(WorkflowError, match="Only an editor can approve"):
        check_transition(R, A, "writer")
    with pytest.raises(WorkflowError, match="Only an editor can publish"):
        check_transition(A, P, "writer")
    with pytest.raises(WorkflowError, match="Only an editor can request changes"):
        check_transition(R, C, "writer")


def test_skipping_review_names_the_next_step():
    with pytest.raises(WorkflowError) as err:
        check_transition(D, P, "editor")
    message = str(err.value)
    assert "“Draft”" in message and "“Published”" in message
    assert "Send for review" in message and "in_review" not in message


def test_same_state_and_unknown_role_are_refused():
    with pytest.raises(WorkflowError, match="already in review"):
        check_transition(R, R, "editor")
    with pytest.raises(WorkflowError, match="Unknown role 'intern'"):
        check_transition(D, R, "intern")
    with pytest.raises(WorkflowError, match="Unknown role"):
        allowed_transitions(D, "intern")


def test_plain_strings_are_accepted_for_states():
    check_transition("draft", "in_review", "writer")  # type: ignore[arg-type]
    assert allowed_transitions("approved") == [P, C]  # type: ignore[arg-type]
