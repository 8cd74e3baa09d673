"""What proposals announce to the apps above them (which connect in their AppConfig.ready):
proposals sits below the agenda (tests/test_architecture.py), so it never imports it."""

from django.dispatch import Signal

# Workshops changed through a queryset update (no post_save): titles, descriptions, or
# workshops that left the public agenda. The agenda drops its cached lists.
workshops_changed = Signal()
