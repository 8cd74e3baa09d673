"""Record every access by staff to personal data (DESIGN: data protection rules)."""

from .models import AuditLogEntry


def audit_personal_data_access(*, actor, action: str, subject: str, detail: str = "") -> None:
    """Append one entry to the audit log; called by every view that shows staff a person."""
    AuditLogEntry.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        action=action,
        subject=subject[:200],
        detail=detail[:300],
    )
