from django import forms
from django.utils.translation import gettext_lazy

from interra.core.text import validate_single_line

REASON_FIELD = dict(max_length=300, validators=[validate_single_line])


class TrustForm(forms.Form):
    """Confirm a promotion (the reason is optional) or take it back (a reason, which the
    leader reads)."""

    leader = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    city = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    reason = forms.CharField(label=gettext_lazy("Why (the leader reads it)"), required=False,
                             **REASON_FIELD)


class SlotForm(forms.Form):
    """The one tap: a room and a start, as the page offered them."""

    slot = forms.RegexField(regex=r"^\d{1,18}\|[0-9T:+\-.]{16,40}$", max_length=60)

    def clean_slot(self):
        from datetime import datetime

        room, start = self.cleaned_data["slot"].split("|", 1)
        try:
            starts_at = datetime.fromisoformat(start)
        except ValueError as exc:
            raise forms.ValidationError(gettext_lazy("Choose one of the times shown.")) from exc
        if starts_at.tzinfo is None:
            raise forms.ValidationError(gettext_lazy("Choose one of the times shown."))
        return int(room), starts_at
