from django import forms
from django.utils.translation import gettext_lazy as _

from interra.core.text import validate_plausible_date
from interra.core.whatsapp import normalise_number, validate_e164


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


def _language_choices():
    from django.conf import settings

    return [(code, name) for code, name in settings.LANGUAGES]


def validate_time_zone(value: str) -> None:
    import zoneinfo

    from django.core.exceptions import ValidationError

    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("This is not a time zone we know, e.g. Europe/Brussels."),
                              code="time_zone")


class CityCreateForm(forms.Form):
    """A network admin opens a city."""

    name = forms.CharField(label=_("Name"), max_length=80)
    slug = forms.SlugField(
        label=_("Short name (in web addresses)"), max_length=50,
        help_text=_("Lower-case letters, digits and hyphens, e.g. verviers."),
        error_messages={"invalid": _("Use lower-case letters, digits and hyphens only.")},
        widget=forms.TextInput(attrs={"dir": "ltr"}))
    time_zone = forms.CharField(label=_("Time zone"), max_length=64,
                                initial="Europe/Brussels", validators=[validate_time_zone],
                                widget=forms.TextInput(attrs={"dir": "ltr"}))
    address = forms.CharField(label=_("Antenna address"), max_length=200, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages shown"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages its posters and pages offer first, besides French."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = _language_choices()


class ReminderHoursField(forms.CharField):
    """\"48, 3\" -> [48, 3]: hours before a session, from 1 to 336 (two weeks)."""

    def to_python(self, value):
        text = super().to_python(value)
        hours = []
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not (part.isascii() and part.isdecimal()) or not 1 <= int(part) <= 336:
                raise forms.ValidationError(
                    _("Give hours before the session, from 1 to 336, separated by commas, "
                      "e.g. 48, 3."), code="hours")
            hours.append(int(part))
        if len(hours) > 4:
            raise forms.ValidationError(_("At most four reminders."), code="too_many")
        return sorted(set(hours), reverse=True)

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(hour) for hour in value)
        return value


class CitySettingsForm(forms.Form):
    """What a city's coordinator sets: languages, the mix, reminders, the posters."""

    languages = forms.MultipleChoiceField(
        label=_("Languages shown"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages its posters and pages offer first, besides French."))
    newcomer_seats_percent = forms.IntegerField(
        label=_("Seats held for newcomers (percent)"), min_value=0, max_value=100)
    local_seats_percent = forms.IntegerField(
        label=_("Seats held for locals (percent)"), min_value=0, max_value=100)
    hold_release_hours = forms.IntegerField(
        label=_("Held seats open to everyone this many hours before"), min_value=0,
        max_value=720)
    reminder_hours = ReminderHoursField(
        label=_("Reminders, hours before a session"), max_length=40, required=False,
        help_text=_("Separated by commas, e.g. 48, 3. Empty: 48 and 3."),
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}))
    time_zone = forms.CharField(label=_("Time zone"), max_length=64,
                                validators=[validate_time_zone],
                                widget=forms.TextInput(attrs={"dir": "ltr"}))
    address = forms.CharField(label=_("Antenna address"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    whatsapp_number = forms.CharField(
        label=_("WhatsApp number"), max_length=24, required=False,
        help_text=_("Optional. In international form, e.g. +32 470 12 34 56: pages and "
                    "messages then offer to write to the antenna on WhatsApp."),
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel",
                                      "autocomplete": "off"}))
    poster_footer = forms.CharField(
        label=_("Poster footer"), max_length=160, required=False,
        help_text=_("A line printed at the bottom of every poster: a partner, a funder, "
                    "a motto."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = _language_choices()

    def clean_whatsapp_number(self):
        number = normalise_number(self.cleaned_data["whatsapp_number"])
        validate_e164(number)
        return number

    def clean(self):
        data = super().clean()
        newcomers, locals_ = data.get("newcomer_seats_percent"), data.get("local_seats_percent")
        if newcomers is not None and locals_ is not None and newcomers + locals_ > 100:
            self.add_error("local_seats_percent", _(
                "The seats held for newcomers and for locals together cannot be more than "
                "all the seats."))
        return data

    @classmethod
    def initial_for(cls, city) -> dict:
        return {field: getattr(city, field) for field in cls.base_fields}
