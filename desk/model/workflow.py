"""Who may move an article between review states, and where it may go next.

The workflow is a small fixed graph rather than a configurable one: every
newsroom using Desk shares the same review habits, and a fixed graph lets the
UI show exactly the buttons that will work instead of failing after a click.

::

    draft ──► in_review ──► approved ──► published
                 ▲   │          │            │
                 │   ▼          ▼            │
              changes_requested ◄────────────┘  (corrections)

Nothing goes back to ``draft`` once an editor may have seen a piece: its
state should keep saying so. A writer reworking a piece after "changes
requested" simply sends it for review again; a correction to a published piece
goes through "changes requested" so that the fix is reviewed too.

The one way back is **withdrawing** a submission (``in_review`` → ``draft``),
for a writer who sent too early. It is allowed only while nobody can have
picked the piece up, judged from what this desk knows (:func:`check_withdraw`):

* the article is in review, and the last entry of its status history is the
  move to review made by the person now withdrawing (nobody has moved it
  since: an editor's decision, or a package that came back, would be newer);
* nobody else has commented, replied or resolved a comment since that move.

A package already sent stays with the editor; the confirmation says so.

Every move carries an optional note ("Request changes: the second quote
needs a source"), kept with the move in the status history and sent with it
in review packages, so the other side reads why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, get_args

from desk.model.article import Status

Role = Literal["writer", "editor"]
ROLES: tuple[str, ...] = get_args(Role)

_NEXT: dict[Status, tuple[Status, ...]] = {
    Status.DRAFT: (Status.IN_REVIEW,),
    Status.IN_REVIEW: (Status.CHANGES_REQUESTED, Status.APPROVED),
    Status.CHANGES_REQUESTED: (Status.IN_REVIEW,),
    Status.APPROVED: (Status.PUBLISHED, Status.CHANGES_REQUESTED),
    Status.PUBLISHED: (Status.CHANGES_REQUESTED,),
}

#: Roles that may move an article *into* a state. Editors may also send their
#: own pieces for review, since editors write too.
_WHO: dict[Status, frozenset[str]] = {
    Status.IN_REVIEW: frozenset({"writer", "editor"}),
    Status.CHANGES_REQUESTED: frozenset({"editor"}),
    Status.APPROVED: frozenset({"editor"}),
    Status.PUBLISHED: frozenset({"editor"}),
}

#: Button and menu labels, phrased as the action rather than the state.
ACTION_LABELS: dict[Status, str] = {
    Status.IN_REVIEW: "Send for review",
    Status.CHANGES_REQUESTED: "Request changes",
    Status.APPROVED: "Approve",
    Status.PUBLISHED: "Publish",
    Status.DRAFT: "Withdraw",  # in review -> draft: see check_withdraw
}

_ONLY_EDITORS = {
    Status.CHANGES_REQUESTED: "Only an editor can request changes.",
    Status.APPROVED: "Only an editor can approve an article.",
    Status.PUBLISHED: "Only an editor can publish an article.",
}


class WorkflowError(ValueError):
    """A status change that is not allowed, explained for the person who tried it."""


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise WorkflowError(f"Unknown role {role!r}; expected one of: {', '.join(ROLES)}.")


def allowed_transitions(status: Status, role: str | None = None) -> list[Status]:
    """Where an article can go next; pass ``role`` to get only what that person may do.

    The UI builds its status menu from this, so it never offers a move that
    :func:`check_transition` would refuse.
    """
    status = Status(status)
    targets = list(_NEXT[status])
    if role is None:
        return targets
    _check_role(role)
    return [t for t in targets if role in _WHO[t]]


def check_transition(old: Status, new: Status, role: str) -> None:
    """Refuse a status change that the workflow or the person's role forbids.

    Messages are shown to writers as they are, so they say what *is* possible
    rather than naming internal states.
    """
    _check_role(role)
    old, new = Status(old), Status(new)
    if old == new:
        raise WorkflowError(f"This article is already {old.label.lower()}.")
    if new not in _NEXT[old]:
        options = " or ".join(f"“{ACTION_LABELS[t]}”" for t in _NEXT[old])
        raise WorkflowError(
            f"An article marked “{old.label}” cannot be marked “{new.label}”; "
            f"the next step is {options}."
        )
    if role not in _WHO[new]:
        raise WorkflowError(_ONLY_EDITORS[new])


@dataclass(frozen=True)
class StatusChange:
    """One move in an article's status history, with the note that came with it."""

    status: Status
    who: str
    #: ISO 8601, as stored and as sent in review packages.
    at: str
    note: str = ""

    @property
    def when(self) -> datetime:
        moment = datetime.fromisoformat(self.at)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_withdraw(
    status: Status,
    history: Sequence[StatusChange],
    who: str,
    others_activity: Iterable[datetime] = (),
) -> None:
    """Refuse to withdraw a submission somebody may have picked up (rule in the module doc).

    ``others_activity``: when other people commented, replied or resolved.
    """
    if Status(status) != Status.IN_REVIEW:
        raise WorkflowError("Only an article in review can be withdrawn.")
    last = max(history, key=lambda h: h.when, default=None)
    if last is None or last.status != Status.IN_REVIEW:
        raise WorkflowError(
            "This article was not sent for review from here; it cannot be withdrawn."
        )
    if not who or last.who != who:
        raise WorkflowError(
            f"Only {last.who or 'the person who sent it'} can withdraw this submission."
        )
    if any(at > last.when for at in others_activity):
        raise WorkflowError(
            "An editor has already worked on this submission; ask them instead of withdrawing it."
        )
