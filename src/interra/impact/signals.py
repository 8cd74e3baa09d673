"""Keep the tie meetings in step with attendance (connected in ``ImpactConfig.ready``).

A saved or deleted registration, or a session saved with a new status, start or city,
enqueues ``refresh_ties_for_session`` on commit: the request that marks attendance does not
wait for it, and a rolled-back change enqueues nothing. A deleted session drops its
meetings at once, in the deleting transaction. What changes without a signal (queryset
updates, ``bulk_create``) is caught by ``ties.sync_stale`` or ``rebuild_ties``.
"""

import threading

from django.db import transaction

# Fields whose change can change a session's pairs; other saves (feedback requested,
# a leader's note) leave the ties alone.
REGISTRATION_FIELDS = {"session", "session_id", "person", "person_id", "group", "attended",
                       "status"}
SESSION_FIELDS = {"status", "starts_at", "city", "city_id"}
# Sessions being deleted in this thread: their cascaded registrations need no refresh.
_deleting = threading.local()


def _sessions_being_deleted() -> set:
    if not hasattr(_deleting, "ids"):
        _deleting.ids = set()
    return _deleting.ids


def _enqueue(session_id: int | None) -> None:
    if session_id is None:
        return

    def enqueue():
        from .tasks import refresh_ties_for_session

        refresh_ties_for_session.enqueue(session_id)

    transaction.on_commit(enqueue)


def registration_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and not REGISTRATION_FIELDS & set(update_fields)):
        return
    _enqueue(instance.session_id)


def registration_deleted(sender, instance, **kwargs):
    if instance.session_id in _sessions_being_deleted():
        return
    _enqueue(instance.session_id)


def session_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and not SESSION_FIELDS & set(update_fields)):
        return
    _enqueue(instance.pk)


def session_deleting(sender, instance, **kwargs):
    from .ties import forget_session

    _sessions_being_deleted().add(instance.pk)
    forget_session(instance.pk)


def session_deleted(sender, instance, **kwargs):
    _sessions_being_deleted().discard(instance.pk)
