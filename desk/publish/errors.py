"""Publishing failures, each one plain sentence for the writer.

``retry`` marks what time may fix (offline, a server error): the queue row is
kept as *paused* and resumes. The rest needs a person: credentials, a missing
bucket, a full quota, or someone else's newer version (a conflict).
"""

from __future__ import annotations


class PublishError(Exception):
    retry = False


class PublishPaused(PublishError):
    """The destination could not be reached or answered with a server error."""

    retry = True


class ConflictError(PublishError):
    """Someone else published a newer version of this article at the destination."""


class VerifyError(PublishError):
    """What the destination holds is not what was exported."""


class PinMismatchError(PublishError):
    """The pinning service reports another CID than the one Desk computed."""
