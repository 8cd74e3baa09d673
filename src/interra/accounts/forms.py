from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from .models import Channel, Group, User


class SignInLinkForm(forms.Form):
    identifier = forms.CharField(
        label=_("Your phone number or email address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email"}),
    )


class StaffSignInForm(forms.Form):
    identifier = forms.CharField(
        label=_("Email address or phone number"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {"invalid": _("Wrong email, phone or password.")}

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.user = authenticate(
            self.request, username=data["identifier"], password=data["password"]
        )
        if self.user is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return data


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("The code from your authenticator app (or a backup code)"),
        regex=r"^\s*\d{6,8}\s*$",
        error_messages={"invalid": _("Type the 6 digits shown in the app.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 8}
        ),
    )


LANGUAGE_CHOICES = settings.LANGUAGES


class ProfileForm(forms.ModelForm):
    spoken_languages = forms.MultipleChoiceField(
        label=_("Languages I speak"), choices=LANGUAGE_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    group = forms.ChoiceField(
        label=_("I am"),
        choices=[("", _("— not answered —")), *Group.choices],
        required=False,
        help_text=_(
            "Optional. Only the coordinators of your city see it, to keep groups mixed."
        ),
    )

    class Meta:
        model = User
        fields = ["display_name", "preferred_language", "spoken_languages", "group",
                  "preferred_channel"]
        widgets = {"preferred_channel": forms.RadioSelect}

    def clean_preferred_channel(self):
        channel = self.cleaned_data["preferred_channel"]
        if channel == Channel.SMS and not self.instance.phone:
            raise forms.ValidationError(_("Add a phone number before choosing SMS."))
        if channel == Channel.EMAIL and not self.instance.email:
            raise forms.ValidationError(_("Add an email address before choosing email."))
        return channel


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand: my name and contact details will be erased for good."),
        required=True,
    )
