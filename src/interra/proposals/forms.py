"""Forms of the proposal pipeline. The public form is three small forms, one per screen;
their cleaned data is kept in the session between screens, so it must stay JSON-able."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from interra.accounts.normalize import normalize_email, normalize_phone
from interra.cities.models import City
from interra.core.text import validate_multiline, validate_plausible_date, validate_single_line
from interra.core.widgets import IsoDateInput

from .models import Audience, RoomKind, Stage, Theme, TimeOfDay, Weekday

CHECKBOXES = forms.CheckboxSelectMultiple
RADIOS = forms.RadioSelect


def _language_choices():
    from django.utils.translation import get_language_info

    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class HoneypotMixin(forms.Form):
    # People never see this field (the wrapper is hidden); robots fill it in.
    website = forms.CharField(label=_("Leave this empty"), required=False)

    def is_spam(self) -> bool:
        return bool((self.data.get("website") or "").strip())


class AboutYouForm(HoneypotMixin):
    """Screen 1: who you are and where."""

    display_name = forms.CharField(validators=[validate_single_line],
        label=_("Your name"), max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Phone number"), max_length=30, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel",
                                      "type": "tel", "dir": "ltr"}),
    )
    email = forms.EmailField(
        label=_("Email address"), required=False,
        help_text=_("A phone number or an email address: one is enough."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    spoken_languages = forms.MultipleChoiceField(
        label=_("Languages you speak"), required=False, widget=CHECKBOXES,
    )
    city = forms.TypedChoiceField(label=_("City"), coerce=int, widget=RADIOS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spoken_languages"].choices = _language_choices()
        cities = list(City.objects.order_by("name").values_list("pk", "name"))
        self.fields["city"].choices = cities
        if len(cities) == 1:
            self.fields["city"].initial = cities[0][0]
        if not self.is_bound and not self.initial.get("spoken_languages"):
            self.initial["spoken_languages"] = [translation.get_language()]

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        return normalize_phone(phone) if phone else ""

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        return normalize_email(email) if email else ""

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("phone") and not data.get("email"):
            raise ValidationError(_("Give a phone number or an email address."),
                                  code="contact")
        return data


class WorkshopIdeaForm(forms.Form):
    """Screen 2: what you would like to share."""

    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices, widget=RADIOS)
    title = forms.CharField(validators=[validate_single_line],
        label=_("Title"), max_length=120,
        help_text=_("In your own language. A few words are enough."),
    )
    description = forms.CharField(validators=[validate_multiline],
        label=_("Short description"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    language = forms.ChoiceField(label=_("Language of your text"))
    audience = forms.ChoiceField(label=_("For whom"), choices=Audience.choices,
                                 initial=Audience.EVERYONE, widget=RADIOS)
    group_size = forms.IntegerField(
        label=_("How many people"), min_value=1, max_value=200, initial=12,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _language_choices()
        self.fields["language"].initial = translation.get_language()


class NeedsForm(HoneypotMixin):
    """Screen 3: what it needs, when and where. Everything is optional."""

    room_kind = forms.ChoiceField(
        label=_("Kind of room"), required=False, widget=RADIOS,
        choices=[("", _("I don't know yet")), *RoomKind.choices],
    )
    equipment = forms.CharField(validators=[validate_single_line],
                                label=_("Equipment"), max_length=300, required=False,
                                help_text=_("For example: an oven, a projector, mats."))
    materials = forms.CharField(validators=[validate_single_line],
                                label=_("Materials"), max_length=300, required=False,
                                help_text=_("For example: flour, paint, wool."))
    budget = forms.IntegerField(
        label=_("Small budget (euros)"), min_value=0, max_value=5000, required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    available_days = forms.MultipleChoiceField(
        label=_("Days you are free"), choices=Weekday.choices, required=False,
        widget=CHECKBOXES,
    )
    available_times = forms.MultipleChoiceField(
        label=_("Times you are free"), choices=TimeOfDay.choices, required=False,
        widget=CHECKBOXES,
    )
    neighbourhoods = forms.MultipleChoiceField(
        label=_("Neighbourhoods that suit you"), required=False, widget=CHECKBOXES,
    )

    def __init__(self, *args, neighbourhoods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhoods"].choices = [(n, n) for n in neighbourhoods]
        if not neighbourhoods:
            del self.fields["neighbourhoods"]


STEP_FORMS = {1: AboutYouForm, 2: WorkshopIdeaForm, 3: NeedsForm}


# --- Staff and leader forms ------------------------------------------------------------


class BoardFilterForm(forms.Form):
    city = forms.ChoiceField(label=_("City"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False,
                              choices=[("", _("All themes")), *Theme.choices])
    language = forms.ChoiceField(label=_("Language"), required=False)
    assignee = forms.ChoiceField(label=_("Followed by"), required=False)
    waiting_days = forms.TypedChoiceField(
        label=_("Waiting for"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Any time")), ("7", _("More than a week")),
                 ("14", _("More than two weeks")), ("30", _("More than a month"))],
    )
    closed = forms.BooleanField(label=_("Show declined and withdrawn"), required=False)

    def __init__(self, *args, cities=(), team=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [("", _("All my cities")),
                                       *[(c.slug, c.name) for c in cities]]
        self.fields["language"].choices = [("", _("All languages")), *_language_choices()]
        self.fields["assignee"].choices = [
            ("", _("Anyone")), ("none", _("Nobody yet")),
            *[(str(p.pk), p.display_name) for p in team],
        ]


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    reason = forms.CharField(validators=[validate_multiline],
        label=_("Why"), max_length=500, required=False,
        help_text=_("Needed to decline or withdraw: the leader reads it."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    # Not "assignee": the page's "followed by" form already has an id_assignee.
    task_assignee = forms.TypedChoiceField(
        label=_("Give its tasks to (when accepting)"), required=False, coerce=int,
        empty_value=None,
        help_text=_("Nobody: the tasks wait in the city's pool, where every volunteer can "
                    "take one."))

    def __init__(self, *args, proposal=None, team=(), **kwargs):
        super().__init__(*args, **kwargs)
        if proposal is not None:
            self.fields["stage"].choices = [(s, Stage(s).label) for s in proposal.next_stages]
        self.team = list(team)
        self.fields["task_assignee"].choices = [
            ("", _("Nobody yet: the pool")), *[(p.pk, p.display_name) for p in self.team]]
        if proposal is not None and Stage.ACCEPTED not in proposal.next_stages:
            del self.fields["task_assignee"]

    def clean_task_assignee(self):
        pk = self.cleaned_data.get("task_assignee")
        return next((p for p in self.team if p.pk == pk), None)


class NoteForm(forms.Form):
    text = forms.CharField(validators=[validate_multiline],
                           label=_("Internal note"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Assigned to"), required=False, coerce=int,
                                      empty_value=None)
    due_on = forms.DateField(validators=[validate_plausible_date], label=_("Due"), required=False,
                             widget=IsoDateInput())

    def __init__(self, *args, team=(), with_due=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Nobody yet")),
                                           *[(p.pk, p.display_name) for p in team]]
        if not with_due:
            del self.fields["due_on"]


class TextForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"))
    title = forms.CharField(validators=[validate_single_line], label=_("Title"), max_length=120)
    description = forms.CharField(validators=[validate_multiline],
                                  label=_("Short description"), max_length=2000,
                                  required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _language_choices()


class CoLeaderForm(forms.Form):
    """A coordinator adds a co-leader to a workshop: found by phone or email, or created."""

    display_name = forms.CharField(validators=[validate_single_line],
                                   label=_("Their name"), max_length=80)
    phone = forms.CharField(
        label=_("Phone number"), max_length=30, required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "type": "tel", "dir": "ltr"}),
    )
    email = forms.EmailField(
        label=_("Email address"), required=False,
        help_text=_("A phone number or an email address: one is enough."),
        widget=forms.EmailInput(attrs={"dir": "ltr"}),
    )
    language = forms.ChoiceField(
        label=_("Language of their messages"), initial=settings.LANGUAGE_CODE,
        help_text=_("Used only if they are new to Interra."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _language_choices()

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        return normalize_phone(phone) if phone else ""

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        return normalize_email(email) if email else ""

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("phone") and not data.get("email"):
            raise ValidationError(_("Give a phone number or an email address."),
                                  code="contact")
        return data


class WorkshopChoiceField(forms.ModelChoiceField):
    """A workshop picked by staff from a list where titles repeat ("Cuisine du monde" ×8):
    each option also says who leads it, the city and where its proposal stands."""

    def label_from_instance(self, workshop):
        from interra.core.i18n import localized

        parts = [localized(workshop.title) or f"#{workshop.pk}"]
        leader = workshop.leader
        words = (leader.display_name or "").split() if leader else []
        if words:
            parts.append(f"{words[0]} {words[-1][:1]}." if len(words) > 1 else words[0])
        parts.append(workshop.city.name)
        proposal = getattr(workshop, "proposal", None)
        if proposal is not None:
            parts.append(str(Stage(proposal.stage).label))
        return " · ".join(parts)


def workshops_for_choice(queryset):
    """The queryset a ``WorkshopChoiceField`` needs: one query, whatever the number."""
    # Ordered by title so that the namesakes stand together, told apart by their leader.
    return queryset.select_related("leader", "city", "proposal").order_by("title", "pk")
