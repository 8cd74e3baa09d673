from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from interra.core.text import validate_multiline, validate_plausible_date, validate_single_line
from interra.core.widgets import IsoDateInput, IsoDateTimeInput, IsoTimeInput
from interra.proposals.forms import WorkshopChoiceField, workshops_for_choice

from .models import Accessibility, Equipment

DATETIME_WIDGET = IsoDateTimeInput()
DATE_WIDGET = IsoDateInput()
TIME_WIDGET = IsoTimeInput()
DURATIONS = [(60, _("1 hour")), (90, _("1 h 30")), (120, _("2 hours")), (150, _("2 h 30")),
             (180, _("3 hours")), (240, _("4 hours"))]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Answer"), choices=[
        ("confirm", _("Confirm")), ("refuse", _("Refuse"))])
    message = forms.CharField(validators=[validate_multiline],
                              label=_("Message to Interra"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ClosureForm(forms.Form):
    room = forms.ModelChoiceField(label=_("Room"), queryset=None, required=False,
                                  empty_label=_("The whole venue"))
    starts_at = forms.DateTimeField(validators=[validate_plausible_date],
                                    label=_("Closed from"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(validators=[validate_plausible_date],
                                  label=_("Until"), widget=DATETIME_WIDGET)
    reason = forms.CharField(validators=[validate_single_line],
                             label=_("Reason"), required=False, max_length=200)

    def __init__(self, *args, venue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = venue.rooms.all()


class RoomFeaturesForm(forms.Form):
    equipment = forms.MultipleChoiceField(label=_("Equipment"), choices=Equipment.choices,
                                          required=False, widget=forms.CheckboxSelectMultiple)
    accessibility = forms.MultipleChoiceField(label=_("Accessibility"),
                                              choices=Accessibility.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)


class OpeningRuleForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days"), choices=sorted(WEEKDAYS.items()), coerce=int,
        widget=forms.CheckboxSelectMultiple)
    opens_at = forms.TimeField(label=_("Opens at"), widget=TIME_WIDGET)
    closes_at = forms.TimeField(label=_("Closes at"), widget=TIME_WIDGET)
    valid_from = forms.DateField(validators=[validate_plausible_date],
                                 label=_("From"), required=False, widget=DATE_WIDGET)
    valid_until = forms.DateField(validators=[validate_plausible_date],
                                  label=_("Until"), required=False, widget=DATE_WIDGET)


class FinderForm(forms.Form):
    city = forms.ModelChoiceField(label=_("City"), queryset=None, empty_label=None)
    capacity = forms.IntegerField(label=_("People"), min_value=1, max_value=500, initial=12)
    duration = forms.TypedChoiceField(label=_("Duration"), choices=DURATIONS, coerce=int,
                                      initial=120)
    date_from = forms.DateField(validators=[validate_plausible_date],
                                label=_("From"), widget=DATE_WIDGET)
    date_to = forms.DateField(validators=[validate_plausible_date],
                              label=_("Until"), widget=DATE_WIDGET)
    equipment = forms.MultipleChoiceField(label=_("Equipment"), choices=Equipment.choices,
                                          required=False, widget=forms.CheckboxSelectMultiple)
    accessibility = forms.MultipleChoiceField(label=_("Accessibility"),
                                              choices=Accessibility.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    neighbourhoods = forms.MultipleChoiceField(label=_("Neighbourhoods"), required=False,
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities
        names = sorted({n for city in cities for n in (city.neighbourhoods or [])})
        self.fields["neighbourhoods"].choices = [(n, n) for n in names]
        today = timezone.localdate()
        self.fields["date_from"].initial = today + timedelta(days=1)
        self.fields["date_to"].initial = today + timedelta(days=14)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", _("The end date must come after the start date."))
            elif (end - start).days > 62:
                self.add_error("date_to", _("Search at most two months at a time."))
        return data


class BookingForm(forms.Form):
    workshop = WorkshopChoiceField(label=_("Workshop"), queryset=None)
    starts_at = forms.DateTimeField(validators=[validate_plausible_date],
                                    label=_("Starts"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(validators=[validate_plausible_date],
                                  label=_("Ends"), widget=DATETIME_WIDGET)
    note = forms.CharField(validators=[validate_multiline],
                           label=_("Note for the partner"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, workshops, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshops_for_choice(workshops)


class LoanForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1)
    starts_at = forms.DateTimeField(validators=[validate_plausible_date],
                                    label=_("From"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(validators=[validate_plausible_date],
                                  label=_("Due back"), widget=DATETIME_WIDGET)
    workshop = WorkshopChoiceField(label=_("Workshop"), queryset=None, required=False)

    def __init__(self, *args, workshops, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshops_for_choice(workshops)


class ImportForm(forms.Form):
    city = forms.ModelChoiceField(label=_("City"), queryset=None, empty_label=None)
    file = forms.FileField(label=_("File (CSV or XLSX)"),
                           help_text=_("One row per room; the first row names the columns."))

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Send a .csv or .xlsx file."))
        from .imports import MAX_FILE_BYTES, MAX_ROWS

        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("This file is too big: at most %(size)s MB and %(count)s rows.")
                % {"size": MAX_FILE_BYTES // (1024 * 1024), "count": MAX_ROWS})
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is too big (2 MB at most)."))
        return upload


class WidgetSnippetForm(forms.Form):
    """The partner portal's choices for the agenda widget's code: which city, which
    language (the widget otherwise follows the language of the partner's page)."""

    city = forms.ChoiceField(label=_("City"))
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [(city.slug, city.name) for city in cities]
