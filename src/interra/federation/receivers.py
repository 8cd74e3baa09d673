"""The agenda's signals, answered: a session published, moved or cancelled goes to the
city's followers."""

from .selectors import announceable_session
from .services import session_announce


def session_public_change(sender, *, session_id: int, change: str, **kwargs) -> None:
    session = announceable_session(session_id)
    if session is not None:
        session_announce(session=session, change=change)
