"""The attestation PDF (WeasyPrint): French plus the leader's language, the figures, the
confirmed skills, the coordinator's name, and a QR code to the public verification page,
which shows the same signed facts and whether they are still valid."""

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _

from interra.core.i18n import is_rtl

from .documents import absolute, facts_narrative


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").png_data_uri(scale=6, border=4)


def _block(credential, language: str) -> dict:
    facts = credential.facts or {}
    with translation.override(language):
        skills = facts.get("skills_fr" if language == "fr" else "skills") or []
        return {
            "language": language,
            "dir": "rtl" if is_rtl(language) else "ltr",
            "heading": _("Attestation of workshop leading"),
            "intro": _("%(organisation)s attests that %(name)s led workshops for a mixed "
                       "public of newcomers and locals.") % {
                "organisation": settings.ORGANISATION_NAME, "name": credential.subject_name},
            "period": (_("From %(start)s to %(end)s") % {
                "start": formats.date_format(_date(facts["first_session"])),
                "end": formats.date_format(_date(facts["last_session"]))}
                if facts.get("first_session") else ""),
            "figures": facts_narrative({**facts, "skills": []}),
            "skills_title": _("Skills confirmed by a coordinator"),
            "skills": skills,
            "coordinator": (_("Coordinator: %(name)s") % {"name": facts["coordinator"]}
                            if facts.get("coordinator") else ""),
            "issued": _("Issued on %(date)s") % {
                "date": formats.date_format(credential.issued_at)},
            "verify": _("Scan to check that this attestation is genuine and still valid."),
            # ESCO's licence: acknowledge the source wherever its labels are shown (the
            # same sentence as credentials/_esco_attribution.html).
            "esco": (_("Skills from the list are concepts of %(esco)s, the European "
                       "classification of Skills, Competences, Qualifications and "
                       "Occupations: © European Union.") % {"esco": "ESCO"}
                     + " https://esco.ec.europa.eu") if skills else "",
        }


def _date(iso: str):
    from datetime import date

    return date.fromisoformat(iso)


def attestation_pdf(credential, language: str) -> bytes:
    from weasyprint import HTML

    url = absolute("credentials:verify", credential.pk)
    languages = ["fr"] + ([language] if language and language != "fr" else [])
    html = render_to_string("credentials/attestation.html", {
        "credential": credential, "url": url, "qr": qr_data_uri(url),
        "organisation": settings.ORGANISATION_NAME,
        "address": settings.ORGANISATION_ADDRESS,
        "blocks": [_block(credential, code) for code in languages],
    })
    return HTML(string=html, base_url=str(settings.SRC_DIR)).write_pdf()
