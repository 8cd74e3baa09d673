from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _


class AuditLogFilterForm(forms.Form):
    actor = forms.ModelChoiceField(label=_("Staff member"), queryset=None, required=False,
                                   empty_label=_("Everybody"))
    date_from = forms.DateField(label=_("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, actors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = actors

    def clean(self):
        data = super().clean()
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day and not date(2000, 1, 1) <= day <= date(2100, 12, 31):
                self.add_error(name, _("Choose a date between 2000 and 2100."))
        return data
