"""Writes of the agenda: sessions, registrations, the waitlist, attendance, feedback.

Every write that consumes seats locks the session row first and re-counts under the lock
(``select_for_update`` on PostgreSQL; on SQLite the transaction itself is IMMEDIATE, which
takes the database write lock at BEGIN, so two registrations never count at once). The
unique constraint on active registrations is the last line of defence against doubles.
Messages go out through ``notify()``, which sends after commit.

The services are split by subject (issue #12): ``common`` (session lock, seat
counts, message contexts), ``sessions``, ``registrations`` (and the waitlist),
``attendance`` (on the day), ``reminders`` (periodic work), ``personal_data``.
Import them from here: every public name is re-exported.
"""

from .attendance import (
    attendance_mark,
    feedback_quote_consent_withdraw,
    feedback_submit,
    session_note_update,
    walk_in_add,
)
from .common import (
    _lock_session,
    _message_context,
    is_released,
    registration_link,
    seat_availability,
    seat_counts,
)
from .personal_data import (
    personal_data_erase,
    personal_data_export,
)
from .registrations import (
    _matching_contact,
    _waitlist_promote,
    contact_clean,
    registration_cancel,
    registration_claim,
    registration_create,
    registration_for_typed_contact,
    registration_links_send,
    registration_request,
    waitlist_promote,
)
from .reminders import (
    send_due_reminders,
)
from .sessions import (
    MAX_SERIES_SESSIONS,
    session_cancel,
    session_create,
    session_from_booking,
    session_move,
    session_schedule,
)

__all__ = [
    "MAX_SERIES_SESSIONS",
    "_lock_session",
    "_matching_contact",
    "_message_context",
    "_waitlist_promote",
    "attendance_mark",
    "contact_clean",
    "feedback_quote_consent_withdraw",
    "feedback_submit",
    "is_released",
    "personal_data_erase",
    "personal_data_export",
    "registration_cancel",
    "registration_claim",
    "registration_create",
    "registration_for_typed_contact",
    "registration_link",
    "registration_links_send",
    "registration_request",
    "seat_availability",
    "seat_counts",
    "send_due_reminders",
    "session_cancel",
    "session_create",
    "session_from_booking",
    "session_move",
    "session_note_update",
    "session_schedule",
    "waitlist_promote",
    "walk_in_add",
]
