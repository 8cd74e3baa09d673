"""Hooks the agenda offers to higher apps (connected in their AppConfig.ready())."""

from django.dispatch import Signal

# A participant withdrew their consent to be quoted (from "My data", or by erasing their
# account): ``feedback_ids``, the Feedback rows no portfolio may quote any more.
quote_consent_withdrawn = Signal()
