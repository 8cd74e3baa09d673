from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from interra.core.widgets import IsoDateInput

from .selectors import Period

# A report over more than this many years is a mistake, and a costly query.
MAX_PERIOD_DAYS = 366 * 5


class ImpactFilterForm(forms.Form):
    """The period [start, end) and the city (empty: every city the viewer coordinates)."""

    start = forms.DateField(label=_("From"), required=False,
                            widget=IsoDateInput())
    end = forms.DateField(label=_("Until (not included)"), required=False,
                          widget=IsoDateInput())
    city = forms.ChoiceField(label=_("City"), required=False)

    def __init__(self, data=None, *, cities, **kwargs):
        super().__init__(data, **kwargs)
        self.cities = list(cities)
        self.fields["city"].choices = [("", _("All my cities"))] + [
            (city.slug, city.name) for city in self.cities
        ]

    def clean(self):
        cleaned = super().clean()
        default = Period.this_year()
        start = cleaned.get("start") or default.start
        end = cleaned.get("end") or (date(start.year + 1, 1, 1) if cleaned.get("start")
                                     else default.end)
        if end <= start:
            raise forms.ValidationError(_("The end of the period must come after its start."))
        if (end - start).days > MAX_PERIOD_DAYS:
            raise forms.ValidationError(_("Choose a period of at most five years."))
        cleaned["period"] = Period(start, end)
        return cleaned

    def selected_cities(self):
        slug = self.cleaned_data.get("city")
        if slug:
            return [city for city in self.cities if city.slug == slug]
        return self.cities


class ReportHighlightForm(forms.Form):
    highlights = forms.CharField(
        label=_("Highlights of the year"), required=False, max_length=6000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What went well, what changed for people, in a few paragraphs. "
                    "Do not name anyone."),
    )
    partnerships = forms.CharField(label=_("About our partnerships"), required=False,
                                   max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    outlook = forms.CharField(label=_("Outlook for next year"), required=False,
                              max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
