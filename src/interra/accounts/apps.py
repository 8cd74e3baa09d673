from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "interra.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from interra.notifications import rendering

        from .services import magic_link

        # Messages carry sign-in links that notifications mints while sending.
        rendering.set_sign_in_link_maker(magic_link)
