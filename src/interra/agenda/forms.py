from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from interra.accounts.models import Group
from interra.core.text import validate_multiline, validate_plausible_date, validate_single_line
from interra.core.widgets import IsoDateInput, IsoDateTimeInput
from interra.proposals.forms import WorkshopChoiceField, workshops_for_choice
from interra.proposals.models import Theme

from .models import Feedback
from .selectors import AgendaFilters


class AgendaFilterForm(forms.Form):
    """The agenda's filters: all optional, read from the query string."""

    city = forms.ChoiceField(label=_("City"), required=False)
    date = forms.DateField(validators=[validate_plausible_date], label=_("From"), required=False,
                           widget=IsoDateInput())
    theme = forms.ChoiceField(label=_("Theme"), required=False,
                              choices=[("", _("All themes")), *Theme.choices])
    language = forms.ChoiceField(label=_("Language spoken"), required=False)
    neighbourhood = forms.ChoiceField(label=_("Neighbourhood"), required=False)
    beginner_french = forms.BooleanField(label=_("Beginner French welcome"), required=False)
    family = forms.BooleanField(label=_("Family-friendly"), required=False)
    accessible = forms.BooleanField(label=_("Accessible"), required=False)

    def __init__(self, *args, cities=(), neighbourhoods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [("", _("All cities")),
                                       *[(c.slug, c.name) for c in cities]]
        self.fields["language"].choices = [("", _("All languages")), *settings.LANGUAGES]
        self.fields["neighbourhood"].choices = [("", _("All neighbourhoods")),
                                                *[(n, n) for n in neighbourhoods]]


def agenda_filters(query) -> tuple[AgendaFilterForm, AgendaFilters]:
    """The agenda's filters from a query string (a QueryDict): the form, and the filters
    it gives. The one definition the page and the API share, so the same address gives
    the same sessions in both. A value the form refuses (an unknown city, a bad date) is
    left out; the other filters still apply."""
    from interra.cities.models import City

    cities = list(City.objects.order_by("name").only("slug", "name", "neighbourhoods"))
    city = next((c for c in cities if c.slug == query.get("city", "")), None)
    neighbourhoods = city.neighbourhoods if city else sorted(
        {n for c in cities for n in (c.neighbourhoods or [])})
    form = AgendaFilterForm(query or None, cities=cities, neighbourhoods=neighbourhoods)
    data = {}
    if form.is_bound:
        form.is_valid()
        data = form.cleaned_data  # the fields that are valid
    return form, AgendaFilters(
        city=data.get("city") or "", city_id=city.pk if city and data.get("city") else None,
        date_from=data.get("date"), theme=data.get("theme") or "",
        language=data.get("language") or "", neighbourhood=data.get("neighbourhood") or "",
        beginner_french=bool(data.get("beginner_french")), family=bool(data.get("family")),
        accessible=bool(data.get("accessible")),
    )


GROUP_CHOICES = [
    (Group.NEWCOMER, _("I am new in Belgium")),
    (Group.LOCAL, _("I live here for a long time")),
    (Group.UNDISCLOSED, _("I prefer not to say")),
]


class _ContactAndSeatsForm(forms.Form):
    """What every registration form asks, the public one and the staff desk's: a phone or
    an e-mail (at least one), and a number of seats (a ``seats`` field) up to the session's
    limit."""

    def __init__(self, *args, max_seats=4, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seats"].choices = [(n, str(n)) for n in range(1, max_seats + 1)]

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email"):
            raise forms.ValidationError(_("Give a phone number or an email address."))
        return data


class RegistrationForm(_ContactAndSeatsForm):
    """No password: a name, a way to reach the person, and their consent."""

    name = forms.CharField(validators=[validate_single_line], label=_("Your name"), max_length=80,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel",
                                                          "inputmode": "tel"}))
    email = forms.EmailField(label=_("or email"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    group = forms.ChoiceField(
        label=_("To keep groups mixed (optional, seen only by the team)"),
        choices=GROUP_CHOICES, required=False, widget=forms.RadioSelect,
    )
    seats = forms.TypedChoiceField(label=_("Seats"), coerce=int, initial=1)
    consent = forms.BooleanField(label=_("I agree to the privacy notice"))



class LinkAgainForm(forms.Form):
    identifier = forms.CharField(
        label=_("The phone number or email address you registered with"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "email tel"}))


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How was it?"), coerce=int, widget=forms.RadioSelect,
        choices=[(5, "😀"), (4, "🙂"), (3, "😐"), (2, "🙁"), (1, "😞")],
    )
    comment = forms.CharField(validators=[validate_multiline],
                              label=_("A word for the leader (optional)"), required=False,
                              max_length=Feedback._meta.get_field("comment").max_length,
                              widget=forms.Textarea(attrs={"rows": 3}))
    # Explicit and unticked: nothing is quoted unless the participant ticks it.
    quote_consent = forms.BooleanField(
        required=False, initial=False,
        label=_("The leader may show this comment, without my name, on their portfolio"),
        help_text=_("You can withdraw this at any time from “My data”."),
        widget=forms.CheckboxInput(attrs={"aria-describedby": "quote-consent-help"}))


class WalkInForm(forms.Form):
    name = forms.CharField(validators=[validate_single_line],
        label=_("First name"), max_length=80,
        error_messages={"required": _("Write the first name of the person who came.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and self.errors:
            self.fields["name"].widget.attrs.update(
                {"aria-describedby": "walk-in-error", "aria-invalid": "true", "autofocus": True})


class NoteForm(forms.Form):
    note = forms.CharField(validators=[validate_multiline],
                           label=_("Note"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class MoveForm(forms.Form):
    starts_at = forms.DateTimeField(validators=[validate_plausible_date], label=_("New start"),
                                    widget=IsoDateTimeInput())
    ends_at = forms.DateTimeField(validators=[validate_plausible_date], label=_("New end"),
                                  widget=IsoDateTimeInput())


class SessionCreateForm(forms.Form):
    """A coordinator schedules a workshop: once, or as a series with a repeat rule."""

    workshop = WorkshopChoiceField(label=_("Workshop"), queryset=None)
    room = forms.ModelChoiceField(label=_("Room"), queryset=None, required=False)
    starts_at = forms.DateTimeField(validators=[validate_plausible_date], label=_("Starts"),
                                    widget=IsoDateTimeInput())
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15,
                                          max_value=600, initial=120)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=500, required=False,
                                  help_text=_("Empty: the room's capacity."))
    repeat = forms.CharField(
        label=_("Repeat (optional)"), required=False, max_length=200,
        help_text=_("An iCalendar rule, e.g. FREQ=WEEKLY;COUNT=6 for six weeks."),
    )

    confirm_now = forms.BooleanField(
        label=_("The partner already agreed: confirm the room now"), required=False,
        help_text=_("Otherwise the partner is asked, and the session appears on the agenda "
                    "once they confirm."),
    )

    def __init__(self, *args, workshops, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshops_for_choice(workshops)
        self.fields["room"].queryset = rooms


# --- The staff desk ----------------------------------------------------------------------

DESK_GROUP_CHOICES = [
    (Group.UNDISCLOSED, _("Not said")),
    (Group.NEWCOMER, _("Newcomer")),
    (Group.LOCAL, _("Local")),
]
DESK_REASON = forms.CharField(label=_("Why (kept in the log)"), max_length=300,
                              required=False)


class DeskRegisterForm(_ContactAndSeatsForm):
    """Someone phones to register: a name, a way to reach them, their mark if they say it."""

    name = forms.CharField(validators=[validate_single_line], label=_("Name"), max_length=80)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    email = forms.EmailField(label=_("or email"), required=False)
    group = forms.ChoiceField(label=_("Newcomer or local (as they say it)"),
                              choices=DESK_GROUP_CHOICES, required=False,
                              initial=Group.UNDISCLOSED)
    seats = forms.TypedChoiceField(label=_("Seats"), coerce=int, initial=1)
    language = forms.ChoiceField(label=_("Language of their messages"),
                                 choices=settings.LANGUAGES, initial="fr")
    reason = DESK_REASON



class DeskReasonForm(forms.Form):
    """Cancel one registration or confirm one from the waitlist: which, and why."""

    registration = forms.IntegerField(min_value=1, max_value=2**63 - 1,
                                      widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why (kept in the log)"), max_length=300,
                             error_messages={"required": _("Say why, in a few words.")})


class DeskSeatsForm(forms.Form):
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=500)
    newcomer_seats_percent = forms.IntegerField(label=_("Held for newcomers (%)"),
                                                min_value=0, max_value=100)
    local_seats_percent = forms.IntegerField(label=_("Held for locals (%)"), min_value=0,
                                             max_value=100)
    reason = forms.CharField(label=_("Why (kept in the log)"), max_length=300,
                             error_messages={"required": _("Say why, in a few words.")})
