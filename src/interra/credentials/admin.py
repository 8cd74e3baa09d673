"""Read-only in the admin site: credentials are issued and revoked by services only (a
hand-edited row would no longer match its signature), and keys never show their private
half."""

from django.contrib import admin

from .models import Credential, IssuerKey, LeaderSkill, Portfolio


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Credential)
class CredentialAdmin(ReadOnlyAdmin):
    list_display = ("id", "achievement", "person", "issued_at", "revoked_at")
    list_filter = ("achievement", "revocation")
    exclude = ("jwt",)


@admin.register(IssuerKey)
class IssuerKeyAdmin(ReadOnlyAdmin):
    list_display = ("kid", "algorithm", "is_current", "created_at", "retired_at")
    exclude = ("private_jwk_encrypted",)


@admin.register(LeaderSkill)
class LeaderSkillAdmin(ReadOnlyAdmin):
    list_display = ("person", "esco_uri", "label", "status", "decided_at")
    list_filter = ("status",)


@admin.register(Portfolio)
class PortfolioAdmin(ReadOnlyAdmin):
    list_display = ("person", "is_public", "updated_at")
