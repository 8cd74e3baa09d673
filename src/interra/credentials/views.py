"""Pages: the leader's portfolio, downloads, the public verification and issuer documents,
and the coordinators' skills and badges pages. Thin: parse, check, call, render."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from interra.accounts.decorators import coordinator_required
from interra.core.audit import audit_personal_data_access
from interra.core.errors import DomainError

from . import documents, images, keys, pdf, sections, selectors, services
from .models import Achievement, IssuerKey, LeaderSkill
from .skills import esco_choices
from .verification import verify_credential

JSON_LD = "application/ld+json"


# --- Forms (small, so kept here) -----------------------------------------------------------

class VisibilityForm(forms.Form):
    is_public = forms.BooleanField(required=False,
                                   label=gettext_lazy("Show my portfolio to others"))
    show_figures = forms.BooleanField(required=False,
                                      label=gettext_lazy("My figures (sessions, hours, people)"))
    show_workshops = forms.BooleanField(required=False,
                                        label=gettext_lazy("The titles of my workshops"))
    show_skills = forms.BooleanField(required=False, label=gettext_lazy("My confirmed skills"))
    show_badges = forms.BooleanField(required=False, label=gettext_lazy("My badges"))


class SkillForm(forms.Form):
    esco_uri = forms.ChoiceField(required=False, label=gettext_lazy("A skill from the list"))
    label = forms.CharField(required=False, max_length=120,
                            label=gettext_lazy("Or in your own words"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["esco_uri"].choices = [("", "—"), *esco_choices()]


class AwardForm(forms.Form):
    achievement = forms.ChoiceField(label=gettext_lazy("Badge"), choices=[
        (key, label) for key, label in Achievement.choices
        if key in services.AUTOMATIC])


# --- The leader's own pages -----------------------------------------------------------------

@login_required
def portfolio(request):
    person = request.user
    own = selectors.portfolio_of(person)
    form = VisibilityForm(request.POST or None, initial={
        part: getattr(own, part) for part in services.PORTFOLIO_PARTS})
    if request.method == "POST" and form.is_valid():
        services.portfolio_update(person=person, **form.cleaned_data)
        messages.success(request, _("Saved. Only what you ticked is shown to others."))
        return redirect("credentials:portfolio")
    return render(request, "credentials/portfolio.html", {
        "portfolio": own,
        "figures": selectors.leader_figures(person),
        "workshops": selectors.workshops_of(person),
        "skills": selectors.skills_of(person),
        "credentials": selectors.credentials_of(person),
        "form": form,
        "skill_form": SkillForm(),
        "min_ratings": selectors.MIN_RATINGS_FOR_AVERAGE,
        "quotable": selectors.quotable_feedback(person),
        "quoted": {quote.feedback_id: quote for quote in selectors.quotes_of(own)},
        "extra_sections": sections.portfolio_sections(),
    })


@login_required
@require_POST
def quotes_update(request):
    """Which consented comments the portfolio quotes, and which of them are public."""
    try:
        services.portfolio_quotes_update(person=request.user,
                                         chosen=_ids(request.POST.getlist("chosen")),
                                         public=_ids(request.POST.getlist("public")))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved. Only what you ticked is shown to others."))
    return redirect("credentials:portfolio")


def _ids(values) -> list[int]:
    try:
        return [int(value) for value in values]
    except ValueError:
        raise Http404 from None


@login_required
@require_POST
def skill_add(request):
    form = SkillForm(request.POST)
    if form.is_valid():
        try:
            services.skill_propose(person=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Added. A coordinator will confirm it."))
    else:
        messages.error(request, _("Choose a skill from the list or write one."))
    return redirect("credentials:portfolio")


@login_required
@require_POST
def skill_remove(request, pk):
    skill = LeaderSkill.objects.filter(pk=pk, person=request.user).first()
    if skill is None:
        raise Http404
    services.skill_remove(skill=skill)
    return redirect("credentials:portfolio")


@login_required
def credential_json(request, credential_id):
    """The credential as issued (the VC-JWT) and decoded, for a wallet or a CV."""
    credential = selectors.own_credential(request.user, credential_id)
    verdict = verify_credential(credential)
    body = {"jwt": credential.jwt, "credential": verdict.claims}
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="interra-{credential.pk}.json"'
    return response


@login_required
def credential_png(request, credential_id):
    credential = selectors.own_credential(request.user, credential_id)
    if not credential.jwt:
        raise Http404
    response = HttpResponse(images.baked_png(credential.achievement, credential.jwt),
                            content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="interra-{credential.pk}.png"'
    return response


@login_required
@require_POST
def attestation(request):
    """Issue (or give back, if nothing changed) the signed attestation, as a PDF."""
    try:
        credential = services.attestation_issue(person=request.user)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc
    content = pdf.attestation_pdf(credential, request.user.preferred_language)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="interra-attestation.pdf"'
    return response


# --- Public ---------------------------------------------------------------------------------

def public_portfolio(request, slug):
    own = selectors.public_portfolio(slug)
    person = own.person
    credentials = (list(selectors.credentials_of(person).filter(revoked_at__isnull=True))
                   if own.show_badges else None)
    # A credential's verification page states its figures (the attestation its confirmed
    # skills too): linked only when the leader shows those here as well.
    linked = {credential.pk for credential in credentials or ()
              if own.show_figures and (own.show_skills
                                       or credential.achievement != Achievement.ATTESTATION)}
    return render(request, "credentials/public_portfolio.html", {
        "linked": linked,
        "portfolio": own,
        "person": person,
        "figures": selectors.leader_figures(person) if own.show_figures else None,
        "workshops": selectors.workshops_of(person) if own.show_workshops else None,
        "skills": selectors.skills_of(person, confirmed_only=True) if own.show_skills else None,
        "credentials": credentials,
        "quotes": selectors.quotes_of(own, public_only=True),
        "min_ratings": selectors.MIN_RATINGS_FOR_AVERAGE,
    })


def verify(request, credential_id):
    """What a credential states, and whether it is still valid: for anyone holding its
    link (the id is unguessable; the leader hands it out with the credential)."""
    credential = selectors.public_credential(credential_id)
    verdict = verify_credential(credential)
    subject = verdict.claims.get("credentialSubject", {})
    return render(request, "credentials/verify.html", {
        "credential": credential,
        "verdict": verdict,
        "achievement": subject.get("achievement", {}),
        "facts": credential.facts if not credential.is_revoked else {},
        "narrative": subject.get("narrative", "") if not credential.is_revoked else "",
    })


@cache_control(public=True, max_age=300)
def issuer(request):
    return JsonResponse(documents.issuer_profile(), content_type=JSON_LD)


@cache_control(public=True, max_age=300)
def jwks(request):
    keys.current_key()  # the first visitor finds a key, not an empty set
    return JsonResponse(keys.public_jwks(), content_type="application/jwk-set+json")


@cache_control(public=True, max_age=3600)
def key(request, thumbprint):
    issuer_key = IssuerKey.objects.filter(thumbprint=thumbprint).first()
    if issuer_key is None:
        raise Http404
    public = {k: v for k, v in issuer_key.public_jwk.items() if k not in keys.PRIVATE_MEMBERS}
    return JsonResponse(public, content_type="application/jwk+json")


@cache_control(public=True, max_age=60)
def status_list(request):
    """The signed revocation list (a BitstringStatusListCredential as a VC-JWT)."""
    token = documents.signed_status_list(services.revoked_status_indexes())
    return HttpResponse(token, content_type="application/vc+jwt")


def _achievement_key(key: str) -> str:
    if key not in Achievement.values:
        raise Http404
    return key


@cache_control(public=True, max_age=3600)
def achievement(request, key):
    language = request.GET.get("lang") or "fr"
    document = {"@context": [documents.VC_CONTEXT, documents.OB_CONTEXT],
                **documents.achievement_document(_achievement_key(key), language=language)}
    return HttpResponse(json.dumps(document, ensure_ascii=False), content_type=JSON_LD)


@cache_control(public=True, max_age=86400)
def achievement_image(request, key):
    return HttpResponse(images.achievement_png(_achievement_key(key)),
                        content_type="image/png")


# --- Coordinators ---------------------------------------------------------------------------

@coordinator_required
def staff_skills(request):
    waiting = selectors.skills_waiting_for(request.user)
    audit_personal_data_access(actor=request.user, action="view",
                               subject="credentials.leaderskill:waiting")
    return render(request, "credentials/staff_skills.html", {
        "skills": waiting, "leaders": selectors.leaders_visible_to(request.user)})


@coordinator_required
@require_POST
def staff_skill_decide(request, pk):
    skill = selectors.skills_waiting_for(request.user).filter(pk=pk).first()
    if skill is None:
        raise Http404
    decision = request.POST.get("decision")
    if decision not in ("confirm", "decline"):
        # Else anything but "confirm" (nothing at all included) declined the skill.
        return HttpResponseBadRequest(_("Choose to confirm the skill or not."))
    services.skill_decide(skill=skill, by=request.user, confirm=decision == "confirm")
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = "credentials:staff_skills"  # never another site (an open redirect)
    return redirect(back)


@coordinator_required
def staff_leader(request, person_id):
    leader = selectors.leader_for_coordinator(request.user, person_id)
    audit_personal_data_access(actor=request.user, action="view",
                               subject=f"accounts.user:{leader.pk}:credentials")
    form = AwardForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.credential_award(person=leader, by=request.user,
                                      achievement=form.cleaned_data["achievement"])
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status_code
        else:
            messages.success(request, _("Badge awarded."))
            return redirect("credentials:staff_leader", person_id=leader.pk)
    return render(request, "credentials/staff_leader.html", {
        "leader": leader,
        "figures": selectors.leader_figures(leader),
        "skills": selectors.skills_of(leader),
        "credentials": selectors.credentials_of(leader),
        "form": form,
        "min_ratings": selectors.MIN_RATINGS_FOR_AVERAGE,
    }, status=status)


@coordinator_required
@require_POST
def staff_revoke(request, credential_id):
    credential = selectors.public_credential(credential_id)
    leader = selectors.leader_for_coordinator(request.user, credential.person_id)
    services.credential_revoke(credential=credential)
    messages.success(request, _("Badge withdrawn: verifiers now see it as revoked."))
    return redirect("credentials:staff_leader", person_id=leader.pk)
