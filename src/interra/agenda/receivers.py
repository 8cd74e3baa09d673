"""The agenda's answers to what venues tells it (connected in ``AgendaConfig.ready``).

Venues sits below the agenda and never imports it: it sends ``booking_confirmed`` and
``booking_cancelled`` (``venues/signals.py``) inside its transaction, and the agenda makes
or cancels the session there, so both happen or neither.
"""

from . import services
from .models import Session


def session_for_confirmed_booking(sender, *, booking, **kwargs) -> None:
    """A confirmed booking becomes a public session (idempotent)."""
    services.session_from_booking(booking=booking)


def sessions_of_cancelled_booking(sender, *, booking, **kwargs) -> None:
    """The sessions of a withdrawn booking are cancelled; everyone registered is told.

    The booking is cancelled already: the sessions do not release the room again.
    """
    for session in booking.sessions.exclude(status=Session.Status.CANCELLED):
        services.session_cancel(session=session, release_room=False)
