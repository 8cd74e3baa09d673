from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy

from interra.cities.models import City
from interra.credentials.skills import esco_choices
from interra.proposals.models import TimeOfDay, Weekday

from .models import ContactRequest, Employer


class SignUpForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Organisation"), max_length=120)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Employer.Kind.choices)
    city = forms.ModelChoiceField(label=gettext_lazy("City"), queryset=City.objects.all(),
                                  empty_label=None)
    website = forms.URLField(label=gettext_lazy("Website"), required=False)
    description = forms.CharField(label=gettext_lazy("What the organisation does"),
                                  max_length=500, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    contact_name = forms.CharField(label=gettext_lazy("Your name"), max_length=80)
    email = forms.EmailField(label=gettext_lazy("Your e-mail address"), required=False)
    phone = forms.CharField(label=gettext_lazy("Your phone number"), max_length=30,
                            required=False)


class InviteForm(SignUpForm):
    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities
        self.fields["contact_name"].label = gettext_lazy("Contact person's name")
        self.fields["email"].label = gettext_lazy("Their e-mail address")
        self.fields["phone"].label = gettext_lazy("Their phone number")


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=[(Employer.Status.VERIFIED, gettext_lazy("Verify")),
                                        (Employer.Status.SUSPENDED, gettext_lazy("Suspend"))])
    reason = forms.CharField(label=gettext_lazy("Why"), max_length=300, required=False)


def _blank(choices):
    return [("", gettext_lazy("any")), *choices]


class SearchForm(forms.Form):
    skill = forms.ChoiceField(label=gettext_lazy("Skill"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False,
                                 choices=_blank(settings.LANGUAGES))
    city = forms.ChoiceField(label=gettext_lazy("City"), required=False)
    day = forms.ChoiceField(label=gettext_lazy("Free on"), required=False,
                            choices=_blank(Weekday.choices))
    time_of_day = forms.ChoiceField(label=gettext_lazy("Time of day"), required=False,
                                    choices=_blank(TimeOfDay.choices))

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].choices = _blank(esco_choices())
        cities = {employer.city_id: employer.city.name for employer in employers}
        self.fields["city"].choices = _blank(sorted(cities.items(), key=lambda c: c[1]))


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What you ask"),
                             choices=ContactRequest.Kind.choices,
                             widget=forms.RadioSelect, initial=ContactRequest.Kind.CONTACT)
    message = forms.CharField(label=gettext_lazy("Message (who you are, what you offer)"),
                              max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))
    gig_kind = forms.ChoiceField(label=gettext_lazy("Kind of gig"), required=False,
                                 choices=_blank(ContactRequest.GigKind.choices))
    gig_date = forms.DateField(label=gettext_lazy("Date of the gig"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    gig_place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)
    gig_pay = forms.CharField(label=gettext_lazy("Pay (amount and how)"), max_length=100,
                              required=False)
    employer = forms.ChoiceField(label=gettext_lazy("On behalf of"))

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].choices = [(str(e.pk), e.name) for e in employers]
        if len(employers) == 1:
            self.fields["employer"].widget = forms.HiddenInput()
            self.fields["employer"].initial = str(employers[0].pk)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline"),
                                        ("block", "block")])
    channel = forms.ChoiceField(required=False, choices=ContactRequest.Channel.choices)
