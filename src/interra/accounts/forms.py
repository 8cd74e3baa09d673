from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from . import photos
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
        return channel


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand: my name and contact details will be erased for good."),
        required=True,
    )
