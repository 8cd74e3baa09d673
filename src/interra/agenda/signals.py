"""What the agenda announces to the apps above it (which connect in their AppConfig.ready):
the agenda sits below them (tests/test_architecture.py), so it never imports them."""

from django.db import transaction
from django.dispatch import Signal

# A participant withdrew their consent to be quoted (from "My data", or by erasing their
# account): ``feedback_ids``, the Feedback rows no portfolio may quote any more.
quote_consent_withdrawn = Signal()

# A public session appeared, moved or was cancelled. Sent after the transaction commits,
# with ``session_id`` and ``change`` ("published", "moved" or "cancelled"): the
# federation app tells the city's followers on the fediverse.
session_public_change = Signal()

PUBLISHED, MOVED, CANCELLED = "published", "moved", "cancelled"


def announce(session_id: int, change: str) -> None:
    """Send ``session_public_change`` once the current transaction has committed (never
    for a change that is rolled back)."""
    transaction.on_commit(lambda: session_public_change.send(
        sender=None, session_id=session_id, change=change), robust=True)
