from django import forms
from django.utils.translation import gettext_lazy as _

from interra.core.text import validate_plausible_date


class AuditLogFilterForm(forms.Form):
    actor = forms.ModelChoiceField(label=_("Staff member"), queryset=None, required=False,
                                   empty_label=_("Everybody"))
    date_from = forms.DateField(validators=[validate_plausible_date],
                                label=_("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(validators=[validate_plausible_date], label=_("To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, actors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = actors
