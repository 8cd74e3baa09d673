import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import Period

# A report over more than this many years is a mistake, and a costly query.
MAX_PERIOD_DAYS = 366 * 5
# Dates outside these years are typing mistakes (year 1, 9999): refused with a message
# instead of overflowing the database's date range.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class MonthField(forms.Field):
    """A month typed as ``YYYY-MM`` (what ``<input type=month>`` sends) or a date
    ``YYYY-MM-DD`` (older links); cleaned to a ``date``, ``(year, month)`` given as the 1st.

    ``is_month`` on the cleaned value's field tells which form was typed, because an end
    given as a month is included while an end given as a date is not.
    """

    widget = forms.TextInput(attrs={"type": "month", "pattern": r"\d{4}-\d{2}",
                                    "placeholder": "YYYY-MM"})
    default_error_messages = {
        "invalid": _("Enter a month as year-month, for example 2025-03."),
        "range": _("Choose a month between %(first)s and %(last)s."),
    }

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        match = re.fullmatch(r"(\d{1,5})-(\d{1,2})(?:-(\d{1,2}))?", value)
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        year, month = int(match.group(1)), int(match.group(2))
        day = int(match.group(3)) if match.group(3) else None
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise forms.ValidationError(self.error_messages["range"], code="range",
                                        params={"first": FIRST_YEAR, "last": LAST_YEAR})
        try:
            parsed = date(year, month, day or 1)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return (parsed, day is None)


def _next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


class ImpactFilterForm(forms.Form):
    """The period, in whole months, and the city (empty: every city the viewer coordinates).

    Figures are only published for whole calendar months (the disclosure-control rule in
    ``selectors.py``): a date inside a month stands for its whole month.
    """

    start = MonthField(label=_("From (month)"), required=False)
    end = MonthField(label=_("Until (month, included)"), required=False)
    city = forms.ChoiceField(label=_("City"), required=False)

    def __init__(self, data=None, *, cities, **kwargs):
        super().__init__(data, **kwargs)
        self.cities = list(cities)
        self.fields["city"].choices = [("", _("All my cities"))] + [
            (city.slug, city.name) for city in self.cities
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        default = Period.this_year()
        start_value, end_value = cleaned.get("start"), cleaned.get("end")
        start = start_value[0].replace(day=1) if start_value else default.start
        if end_value is None:
            end = date(start.year + 1, 1, 1) if start_value else default.end
        elif end_value[1]:  # a month: included
            end = _next_month(end_value[0])
        else:  # a date (older links): not included, a partial month counts whole
            end = end_value[0] if end_value[0].day == 1 else _next_month(end_value[0])
        if end <= start:
            raise forms.ValidationError(_("The end of the period must come after its start."))
        if (end - start).days > MAX_PERIOD_DAYS:
            raise forms.ValidationError(_("Choose a period of at most five years."))
        cleaned["period"] = Period(start, end).whole_months()
        return cleaned

    def selected_cities(self):
        slug = self.cleaned_data.get("city")
        if slug:
            return [city for city in self.cities if city.slug == slug]
        return self.cities

    def normalised_query(self) -> dict:
        """The period and city as months, for the inputs and the export links."""
        period = self.cleaned_data["period"]
        return {"start": f"{period.start:%Y-%m}", "end": f"{period.last_day:%Y-%m}",
                "city": self.cleaned_data.get("city") or ""}


class CitiesFilterForm(ImpactFilterForm):
    """The period only: every city is a column of the table (cities side by side)."""

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        del self.fields["city"]

    def normalised_query(self) -> dict:
        query = super().normalised_query()
        del query["city"]
        return query


class ReportHighlightForm(forms.Form):
    highlights = forms.CharField(
        label=_("Highlights of the year"), required=False, max_length=6000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What went well, what changed for people, in a few paragraphs. "
                    "Do not name anyone."),
    )
    partnerships = forms.CharField(label=_("About our partnerships"), required=False,
                                   max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    outlook = forms.CharField(label=_("Perspectives for next year"), required=False,
                              max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    signatory_name = forms.CharField(label=_("Signed by (name)"), required=False,
                                     max_length=120)
    signatory_role = forms.CharField(label=_("Role of the signatory"), required=False,
                                     max_length=120)
    signed_at_place = forms.CharField(label=_("Signed at (place)"), required=False,
                                      max_length=120)
