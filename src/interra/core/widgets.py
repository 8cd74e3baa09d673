"""Date and time inputs that browsers can read.

``<input type="date">`` only accepts ``YYYY-MM-DD`` (``datetime-local``:
``YYYY-MM-DDTHH:MM``; ``time``: ``HH:MM``) whatever the page's language; Django's default
widgets write the value in the active locale's format (``01/12/2026`` in French), which
the browser silently drops, so the field shows empty. Every date or time input of the
platform uses these widgets.
"""

from django import forms


class IsoDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class IsoDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class IsoTimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")
