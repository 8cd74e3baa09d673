from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from interra.notifications.push import push_enabled

from . import photos
from .models import Channel, Group, User


class SignInLinkForm(forms.Form):
    identifier = forms.CharField(
        label=_("Your phone number or email address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email"}),
    )


class StaffSignInForm(forms.Form):
    """Identifier, password and second-factor code, checked together (see staff.py)."""

    identifier = forms.CharField(
        label=_("Email address or phone number"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"), max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    token = forms.CharField(
        label=_("Code from your authenticator app (or a backup code)"), required=False,
        max_length=16,
        help_text=_("Coordinators, volunteers and admins: always. Partners: leave empty."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "dir": "ltr"}),
    )


class ContactAddForm(forms.Form):
    contact = forms.CharField(
        label=_("Add a phone number or an email address"), max_length=254,
        help_text=_("We send a link to it; it joins your account when you open the link."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr"}),
    )


class EnrolForm(forms.Form):
    password1 = forms.CharField(
        label=_("Choose a password"), max_length=4096,
        help_text=_("At least 10 characters; not a common word."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("The same password again"), max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    token = forms.RegexField(
        label=_("The code shown in your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Type the 6 digits shown in the app.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 8}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") != data["password1"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class StaffInviteForm(forms.Form):
    display_name = forms.CharField(label=_("Their name"), max_length=80)
    email = forms.EmailField(label=_("Email address"), required=False)
    phone = forms.CharField(
        label=_("Phone number"), max_length=30, required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "type": "tel", "dir": "ltr"}))
    city = forms.ModelChoiceField(label=_("City"), queryset=None)
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, cities=None, roles=None, **kwargs):
        """``cities`` and ``roles``: what this inviter may choose (a network admin: every
        city, both roles; a coordinator: their cities, volunteers)."""
        from interra.cities.models import STAFF_ROLES, City, Role

        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = (City.objects.all() if cities is None
                                        else cities).order_by("name")
        self.fields["role"].choices = [(r.value, Role(r).label) for r in (roles or STAFF_ROLES)]

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("email") and not data.get("phone"):
            raise forms.ValidationError(_("Give a phone number or an email address."))
        return data


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
    photo = forms.FileField(
        label=_("Choose a photo"), required=False,
        help_text=_("JPEG, PNG or WebP, up to 5 MB. We shrink it and remove hidden "
                    "details such as where it was taken."),
        widget=forms.FileInput(attrs={"accept": photos.ACCEPT}),
    )
    photo_remove = forms.BooleanField(label=_("Remove my photo"), required=False)

    PHOTO_FIELDS = ("photo", "photo_remove", "photo_public")

    class Meta:
        model = User
        fields = ["display_name", "preferred_language", "spoken_languages", "group",
                  "preferred_channel", "photo", "photo_public"]
        widgets = {"preferred_channel": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What is stored now, before a submitted form touches the instance.
        self.stored_photo_name = self.instance.photo.name or ""
        self.stored_photo_url = self.instance.photo.url if self.instance.photo else ""
        if not push_enabled() and self.instance.preferred_channel != Channel.PUSH:
            # No VAPID key: no notifications to choose (they are offered in the person's
            # space once a phone has accepted them; the choice needs such a device).
            field = self.fields["preferred_channel"]
            field.choices = [c for c in field.choices if c[0] != Channel.PUSH]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):
            return photos.process_upload(photo)  # ValidationError: nothing is stored
        return photo

    def clean(self):
        data = super().clean()
        if data.get("photo_remove"):
            if isinstance(data.get("photo"), ContentFile):
                self.add_error("photo_remove", _(
                    "Either choose a new photo or remove the current one, not both."))
            else:
                data["photo"] = False  # the model field then clears the photo
        return data

    def save(self, commit=True):
        person = super().save(commit=commit)
        if commit and self.stored_photo_name and person.photo.name != self.stored_photo_name:
            photos.delete_on_commit(self.stored_photo_name)  # replaced or removed
        return person

    def clean_preferred_channel(self):
        channel = self.cleaned_data["preferred_channel"]
        if channel == Channel.SMS and not self.instance.phone:
            raise forms.ValidationError(_("Add a phone number before choosing SMS."))
        if channel == Channel.EMAIL and not self.instance.email:
            raise forms.ValidationError(_("Add an email address before choosing email."))
        if channel == Channel.PUSH and not self.instance.push_subscriptions.exists():
            raise forms.ValidationError(_(
                "Turn on notifications on your phone (above) before choosing them."))
        return channel


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand: my name and contact details will be erased for good."),
        required=True,
    )
