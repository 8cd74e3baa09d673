"""Badges follow attendance (connected in ``CredentialsConfig.ready``).

When a registration is marked present, or a session is saved as held, the session's
leaders are checked for badges they have now earned, in a task queued on commit: the
request that marks attendance does not wait for the signing, and a rolled-back change
queues nothing. Sessions marked held by a queryset update (the reminders job) are caught
by ``tasks.award_earned_recently_held``, which run_scheduler queues at every tick, and
data loaded without signals by ``manage.py award_earned_badges``.
"""

from django.db import transaction


def _enqueue(session_id: int | None) -> None:
    if session_id is None:
        return

    def enqueue():
        from .tasks import award_earned_for_session

        award_earned_for_session.enqueue(session_id)

    transaction.on_commit(enqueue)


def registration_saved(sender, instance, created=False, update_fields=None, raw=False,
                       **kwargs):
    if raw or not instance.attended:
        return
    if update_fields is not None and "attended" not in update_fields and not created:
        return
    _enqueue(instance.session_id)


def session_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or instance.status != "held":
        return
    if update_fields is not None and "status" not in update_fields:
        return
    _enqueue(instance.pk)


def quote_consent_withdrawn(sender, feedback_ids, **kwargs):
    from . import services

    services.quotes_drop(feedback_ids=feedback_ids)
