"""Pages of the agenda: public list and session pages, registration, the leader's day,
the coordinators' overview. Views parse, check access, call one service or selector."""

from datetime import date, timedelta
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from interra.accounts.decorators import coordinator_required, is_strongly_authenticated
from interra.cities.models import City
from interra.cities.selectors import coordinated_cities
from interra.core import navigation, whatsapp
from interra.core.audit import audit_personal_data_access
from interra.core.errors import DomainError
from interra.core.i18n import activate_person_language, localized
from interra.core.ratelimit import message_quota_exceeded, ratelimited
from interra.proposals.models import Theme

from . import cache as agenda_cache
from . import cards, ics, posters, seat_texts, selectors, services
from .cards import share_text
from .forms import (
    AgendaFilterForm,
    FeedbackForm,
    LinkAgainForm,
    MoveForm,
    NoteForm,
    RegistrationForm,
    SessionCreateForm,
    WalkInForm,
    agenda_filters,
)
from .models import Registration, Session
from .structured import event_json_ld

PAGE_SIZE = 30
WEEK_LIMIT = 150


# --- Public agenda ------------------------------------------------------------------------

def _query_without(request, *names) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def agenda_list(request):
    """Upcoming sessions, filtered; a list (paginated) or a week at a glance.

    The page and its cards come from the shared cache while nothing they show changed
    (see cache.py): visitors who are not signed in get the whole page from it, signed-in
    people the list inside their own page.
    """
    shared = agenda_cache.shared_page(request)
    html = agenda_cache.list_html(
        request, kind="page" if shared else "body",
        render=lambda: _render_list(request, whole_page=shared), cards=_cards)
    if shared:
        return HttpResponse(agenda_cache.personalise(request, html))
    # Our own rendering, read back from our own cache.
    return render(request, "agenda/list.html", {"body": mark_safe(html)})  # noqa: S308


def _cards(ids, sessions: dict) -> dict[int, tuple[str, float]]:
    """The card of each session in ``ids`` with its seats counted now, and when it stops
    being true (held seats open to everyone)."""
    missing = [pk for pk in ids if pk not in sessions]
    rows = {**{pk: sessions[pk] for pk in ids if pk in sessions},
            **(selectors.sessions_by_id(missing) if missing else {})}
    selectors.attach_seat_counts(rows.values())
    now = timezone.now()
    made = {}
    for pk, session in rows.items():
        seats = services.seat_availability(session, now)
        # True until the held seats open to everyone (then the words change).
        until = seats.release_at.timestamp() if seats.release_at else float("inf")
        made[pk] = (cards.card_html(session, seats), until)
    return made


def _render_list(request, *, whole_page: bool) -> tuple:
    """The list with a marker for each card, when it stops being true (or a function
    that says it), and its sessions."""
    form, filters = agenda_filters(request.GET)
    view = "week" if request.GET.get("view") == "week" else "list"
    context = {"filters_html": _filters_html(request, form, view), "view": view,
               "query": _query_without(request, "page", "view"),
               # Every city (the network's agenda): each card says its city.
               "one_city": bool(filters.city) or len(form.fields["city"].choices) <= 2}
    if view == "week":
        try:
            week = date.fromisoformat(request.GET.get("week", ""))
        except ValueError:
            week = timezone.localdate()
        if not date(2000, 1, 1) <= week <= date(2100, 12, 31):
            week = timezone.localdate()  # the calendar's ends would overflow
        week -= timedelta(days=week.weekday())
        sessions = list(selectors.sessions_in_week(filters, week)[:WEEK_LIMIT])
        days = [(week + timedelta(days=i), []) for i in range(7)]
        for session in sessions:
            days[timezone.localtime(session.starts_at).weekday()][1].append(_marker(session))
        context.update(days=days, week=week, previous_week=week - timedelta(days=7),
                       next_week=week + timedelta(days=7),
                       week_query=_query_without(request, "page", "week"))
        first = sessions[0].starts_at if sessions else None
    else:
        page = _list_page(filters, request.GET.get("page"))
        sessions = list(page.object_list)
        context.update(page=page, cards=[_marker(session) for session in sessions])
        # The page changes when its first matching session starts (it drops off); past
        # page 1, when the next session of all starts (sooner or the same: a cheap bound,
        # asked only when the page is kept: a lambda).
        first = (sessions[0].starts_at if sessions and page.number == 1 else
                 selectors.next_start if sessions else None)
    html = render_to_string("agenda/_list_body.html", context, request)
    if whole_page:
        html = render_to_string("agenda/list.html", {
            "body": mark_safe(html),  # noqa: S308 (rendered just above)
            "csrf_token": agenda_cache.CSRF_PLACEHOLDER,
            "csp_nonce": agenda_cache.NONCE_PLACEHOLDER}, request)
    until = ((lambda: agenda_cache.valid_until(first())) if callable(first)
             else agenda_cache.valid_until(first))
    return html, until, {s.pk: s for s in sessions}


def _list_page(filters, number) -> Page:
    """The page ``number`` of the list, as ``Paginator.get_page`` gives it, in one query
    (its sessions and how many match; seats not counted). Past the last page, or below
    the first, Django's paginator finds it (a count, then the page)."""
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = 1  # as get_page: not a number is the first page
    if 1 <= wanted <= 1_000_000:  # (a larger offset would overflow SQLite's integers)
        sessions, total = selectors.listed_page(filters, offset=(wanted - 1) * PAGE_SIZE,
                                                limit=PAGE_SIZE)
        if sessions or wanted == 1:
            paginator = Paginator(sessions, PAGE_SIZE)
            paginator.count = total  # a cached property: the count is not asked again
            return Page(sessions, wanted, paginator)
    return Paginator(selectors.listed_sessions(filters), PAGE_SIZE).get_page(number)


def _marker(session) -> str:
    return mark_safe(agenda_cache.CARD_MARKER.format(session.pk))  # noqa: S308 (a number)


# The filter form's HTML for (language, address, cities): rendering its widgets is a fifth
# of a list's cost, and a handful of combinations is what people use. Per process, bounded.
_FILTER_FORMS: dict[tuple, str] = {}
_FILTER_FORMS_MAX = 512


def _filters_html(request, form: AgendaFilterForm, view: str) -> str:
    choices = tuple(form.fields["city"].choices) + tuple(form.fields["neighbourhood"].choices)
    # The page number changes nothing in the form but whether it is bound (open).
    key = (translation.get_language(), _query_without(request, "page"), form.is_bound, view,
           repr(choices))
    html = _FILTER_FORMS.get(key)
    if html is None:
        html = render_to_string("agenda/_filters.html", {"form": form, "view": view})
        if len(_FILTER_FORMS) >= _FILTER_FORMS_MAX:
            _FILTER_FORMS.clear()
        _FILTER_FORMS[key] = html
    return mark_safe(html)  # noqa: S308 (our own rendering)


def _share_links(session: Session, url: str, title: str) -> dict:
    """Share the session as a message in the visitor's language: its title, when, and its
    public address (absolute, its id never formatted for a language)."""
    text = share_text(session, url=url, title=title)
    return {
        "whatsapp": whatsapp.share_url(text),
        "email": f"mailto:?subject={quote(title)}&body={quote(text)}",
    }


def _session_page(request, session: Session, form: RegistrationForm, status=200,
                  closed_error: str = ""):
    return render(request, "agenda/session.html",
                  _session_context(session, form, closed_error), status=status)


def _session_context(session: Session, form: RegistrationForm, closed_error: str = ""):
    url = session.absolute_url
    title = localized(session.workshop.title)
    now = timezone.now()
    seats = services.seat_availability(session, now)
    past = session.status != Session.Status.CANCELLED and session.starts_at <= now
    return {
        "under_way": past and session.ends_at > now,
        "session": session, "form": form, "url": url, "title": title,
        "seats": seats, "seat_lines": seat_texts.lines(seats),
        "share": _share_links(session, url, title), "past": past, "closed_error": closed_error,
        "json_ld": event_json_ld(session, url=url, seats=seats, past=past),
        "open": session.status == Session.Status.SCHEDULED and session.starts_at > now,
    }


def session_detail(request, pk):
    """Visitors who are not signed in get the page from the shared cache while the
    session and its seats are unchanged (see cache.py)."""
    def build() -> tuple[str, float]:
        session = selectors.public_session(pk)
        if session is None:
            raise Http404
        form = RegistrationForm(max_seats=min(session.max_seats_per_registration,
                                              session.capacity))
        context = _session_context(session, form)
        html = render_to_string("agenda/session.html", {
            **context, "csrf_token": agenda_cache.CSRF_PLACEHOLDER,
            "csp_nonce": agenda_cache.NONCE_PLACEHOLDER}, request)
        # True until it starts (registration closes), then ends, and until held seats open.
        now = timezone.now()
        moments = [moment for moment in (session.starts_at, session.ends_at,
                                         context["seats"].release_at)
                   if moment is not None and moment > now]
        return html, agenda_cache.valid_until(*moments)

    if agenda_cache.shared_page(request):
        html = agenda_cache.session_html(request, pk, build)
        return HttpResponse(agenda_cache.personalise(request, html))
    session = selectors.public_session(pk)
    if session is None:
        raise Http404
    form = RegistrationForm(max_seats=min(session.max_seats_per_registration, session.capacity))
    return _session_page(request, session, form)


@require_POST
def session_register(request, pk):
    """Register without a password. The answer is "check your messages", the same whether
    the person or their registration existed (the link goes only to the contact on file)."""
    session = selectors.public_session(pk)
    if session is None:
        raise Http404
    form = RegistrationForm(request.POST,
                            max_seats=min(session.max_seats_per_registration, session.capacity))
    if session.status != Session.Status.SCHEDULED or session.starts_at <= timezone.now():
        # A page left open past the start: say so plainly, whatever the form holds.
        message = (_("This session already took place: registration is closed.")
                   if session.status != Session.Status.CANCELLED
                   else _("This session is cancelled: registration is closed."))
        return _session_page(request, session, form, status=400, closed_error=message)
    if not form.is_valid():
        return _session_page(request, session, form, status=400)
    data = form.cleaned_data
    if (ratelimited(request, "agenda-register", limit=20, period=600)
            or message_quota_exceeded(request, contacts=[data["email"], data["phone"]])):
        form.add_error(None, _("Too many attempts. Wait a few minutes and try again."))
        return _session_page(request, session, form, status=429)
    try:
        status = services.registration_request(
            session=session, name=data["name"], email=data["email"], phone=data["phone"],
            language=translation.get_language(), group=data["group"] or None,
            seats=data["seats"], requester=request.user)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _session_page(request, session, form, status=exc.status_code)
    # Only what this visitor chose themselves goes in the address: their group explains
    # why they wait (seats held for the others), nothing about anybody else.
    return redirect(reverse("agenda:registration_sent", args=[session.pk]) + "?"
                    + urlencode({"status": status, "group": data["group"] or ""}))


def registration_sent(request, pk):
    """After registering: what to expect, without any private link or anybody's name."""
    session = selectors.public_session(pk)
    if session is None:
        raise Http404
    waitlisted = request.GET.get("status") == Registration.Status.WAITLISTED
    reason = ""
    if waitlisted:
        seats = services.seat_availability(session)
        reason = seat_texts.held_reason(seats.held_for_others(request.GET.get("group", "")),
                                        seats.release_at)
    return render(request, "agenda/registration_sent.html",
                  {"session": session, "waitlisted": waitlisted, "waitlist_reason": reason})


def registration_link_again(request):
    """"Send me my link again": the links go to the contact on file, if there is one; the
    answer is the same either way."""
    form = LinkAgainForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            identifier = form.cleaned_data["identifier"]
            if (ratelimited(request, "agenda-link-again", limit=10, period=600)
                    or message_quota_exceeded(request, contacts=[identifier])):
                form.add_error(None, _("Too many attempts. Wait a few minutes and try again."))
                status = 429
            else:
                services.registration_links_send(identifier=identifier)
                return render(request, "agenda/link_again_sent.html")
        else:
            status = 400
    return render(request, "agenda/link_again.html", {"form": form}, status=status)


def session_ics(request, pk):
    session = get_object_or_404(Session.objects.select_related("workshop", "room__venue"),
                                pk=pk)
    return _ics_response(ics.calendar_bytes(localized(session.workshop.title), [session]),
                         f"interra-{session.pk}.ics")


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def feed_city(request, city_slug, theme=""):
    city = get_object_or_404(City, slug=city_slug)
    if theme and theme not in Theme.values:
        raise Http404
    name = f"Interra {city.name}" + (f" · {Theme(theme).label}" if theme else "")
    return _ics_response(
        ics.calendar_bytes(name, selectors.feed_sessions(city=city, theme=theme)),
        f"interra-{city.slug}{'-' + theme if theme else ''}.ics")


def feed_leader(request, leader_id):
    if leader_id > 2**63 - 1:  # larger than any database id: a lookup would crash
        raise Http404
    sessions = list(selectors.feed_sessions(leader_id=leader_id))
    if not sessions:
        raise Http404
    name = f"Interra · {sessions[0].workshop.leader.first_name}"
    return _ics_response(ics.calendar_bytes(name, sessions), f"interra-leader-{leader_id}.ics")


PDF_TTL = 24 * 3600


def _cached_pdf(request, key_parts: list, render_pdf) -> HttpResponse | bytes:
    """A poster or programme from the shared cache, keyed on what it shows (the agenda's
    version moves with every change to a session or a registration; texts by their
    update time). Rendering costs a second of CPU, so renders are rate limited per
    address; what is in the cache is not."""
    import hashlib

    digest = hashlib.sha256(repr(key_parts).encode()).hexdigest()[:40]
    key = f"agenda:pdf:{agenda_cache.version()}:{digest}"
    pdf = cache.get(key)
    if pdf is None:
        if ratelimited(request, "agenda-pdf", limit=20, period=600):
            return HttpResponse(_("Too many attempts. Wait a few minutes and try again."),
                                status=429, content_type="text/plain; charset=utf-8")
        pdf = render_pdf()
        cache.set(key, pdf, PDF_TTL)
    return pdf


def session_poster(request, pk):
    session = get_object_or_404(
        Session.objects.select_related("workshop__leader", "room__venue", "city")
        .filter(workshop__leader__erased_at__isnull=True), pk=pk)
    # No language asked for: the ones the city's settings show.
    languages = posters.poster_languages(request.GET.getlist("lang")
                                         or list(session.city.languages))
    pdf = _cached_pdf(request, [
        "poster", session.pk, languages, session.updated_at, session.workshop.updated_at,
        session.city.updated_at,
        session.workshop.leader.display_name, translation.get_language(),
        (session.room.venue.name, session.room.venue.address) if session.room_id else "",
    ], lambda: posters.session_poster_pdf(session, languages))
    if isinstance(pdf, HttpResponse):
        return pdf
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="interra-poster-{session.pk}.pdf"'
    return response


def city_programme(request, city_slug, year, month):
    city = get_object_or_404(City, slug=city_slug)
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise Http404
    languages = posters.poster_languages(request.GET.getlist("lang"))

    def render_pdf():
        sessions = selectors.month_sessions(city=city, year=year, month=month)
        return posters.programme_pdf(city, year, month, sessions, languages)

    pdf = _cached_pdf(request, ["programme", city.pk, year, month, languages,
                                translation.get_language()], render_pdf)
    if isinstance(pdf, HttpResponse):
        return pdf
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="interra-{city.slug}-{year}-{month:02d}.pdf"')
    return response


# --- A participant's own registration (the private link in their message) ---------------

def registration_manage(request, token):
    registration = selectors.registration_by_token(token)
    if registration is None:
        raise Http404
    activate_person_language(request, registration.person)
    if request.method == "POST" and request.POST.get("action") == "cancel":
        try:
            services.registration_cancel(registration=registration)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your registration is cancelled. Thank you for "
                                        "freeing your seat."))
        return redirect("agenda:registration", token=token)
    if request.method == "POST" and request.POST.get("action") == "claim":
        # Only the holder of the link (sent to the contact on file) can say it is theirs;
        # a POST, so a link preview claims nothing.
        services.registration_claim(registration=registration)
        messages.success(request, _("Thank you: the leader now sees your name."))
        return redirect("agenda:registration", token=token)
    session = registration.session
    seats = services.seat_availability(session)
    position = selectors.waitlist_position(registration)
    return render(request, "agenda/registration.html", {
        "registration": registration, "session": session,
        "past": session.status != Session.Status.CANCELLED
        and session.starts_at <= timezone.now(),
        "waitlist_position": position,
        "waitlist_reason": seat_texts.held_reason(
            seats.held_for_others(registration.group), seats.release_at) if position else "",
    })


def registration_feedback(request, token):
    registration = selectors.registration_by_token(token)
    if registration is None:
        raise Http404
    activate_person_language(request, registration.person)
    form = FeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.feedback_submit(registration=registration,
                                         rating=form.cleaned_data["rating"],
                                         comment=form.cleaned_data["comment"],
                                         quote_consent=form.cleaned_data["quote_consent"])
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _("Thank you! The leader will read it."))
                return redirect("agenda:registration", token=token)
    return render(request, "agenda/feedback.html", {"registration": registration,
                                                     "session": registration.session,
                                                     "form": form}, status=status)


@login_required
@require_POST
def feedback_quote_withdraw(request, pk):
    """From "My data": the participant takes back their yes to being quoted. Another
    person's feedback answers 404, as a missing one."""
    feedback = selectors.quoted_feedback_of(request.user).filter(pk=pk).first()
    if feedback is None:
        raise Http404
    services.feedback_quote_consent_withdraw(feedback=feedback)
    messages.success(request, _("Done: no portfolio shows this comment any more."))
    return redirect("accounts:my_data")


# --- The leader, on the day ---------------------------------------------------------------

@login_required
def leader_home(request):
    return render(request, "agenda/leader_home.html", {
        "sessions": selectors.sessions_led_by(request.user),
        # Blocks that higher apps add (a trusted leader plans their next session).
        "leader_sections": navigation.leader_sections(),
    })


def _session_for_leader(request, pk) -> Session:
    session = Session.objects.select_related("workshop", "room__venue", "city").filter(
        pk=pk).first()
    if session is None or not selectors.leader_can_run(
            request.user, session, staff_verified=is_strongly_authenticated(request)):
        raise Http404  # the same answer for "no such session" and "not yours"
    return session


@login_required
def leader_session(request, pk):
    """The list of first names; tap to mark who came; add a walk-in; a note.

    With htmx a tap answers the row and the counter (out of band); without JavaScript
    the page reloads with both."""
    session = _session_for_leader(request, pk)
    walk_in_form = WalkInForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        marked = None
        try:
            if action == "mark":
                marked = _mark(request, session)
            elif action == "walk_in":
                walk_in_form = WalkInForm(request.POST)
                if walk_in_form.is_valid():
                    services.walk_in_add(session=session, name=walk_in_form.cleaned_data["name"],
                                         by=request.user)
                    messages.success(request, _("Added: %(name)s")
                                     % {"name": walk_in_form.cleaned_data["name"].strip()})
                else:
                    status = 400
            elif action == "note":
                form = NoteForm(request.POST)
                if form.is_valid():
                    services.session_note_update(session=session, note=form.cleaned_data["note"])
        except DomainError as exc:
            if action == "walk_in":
                walk_in_form.add_error("name", exc.message)
                status = exc.status_code
            else:
                messages.error(request, exc.message)
        if request.htmx and marked is not None:
            registrations = selectors.attendance_list(session)
            row = next(r for r in registrations if r.pk == marked.pk)
            return render(request, "agenda/_attendance_marked.html", {
                "registration": row, "session": session,
                "present": sum(r.present_seats for r in registrations)})
        if status == 200:
            return redirect("agenda:leader_session", pk=session.pk)
    registrations = selectors.attendance_list(session)
    workshop = session.workshop
    if workshop.leader_id != request.user.pk and not workshop.co_leaders.filter(
            pk=request.user.pk).exists():
        # Staff (a coordinator) reading the names, attendance and feedback of a session.
        audit_personal_data_access(actor=request.user, action="view",
                                   subject=f"agenda.session:{session.pk}:attendance")
    return render(request, "agenda/leader_session.html", {
        "session": session, "registrations": registrations,
        "walk_in_form": walk_in_form, "note_form": NoteForm(initial={"note":
                                                                    session.leader_note}),
        "present": sum(r.present_seats for r in registrations),
        "feedback": selectors.feedback_summary(session)
        if session.starts_at <= timezone.now() else None,
    }, status=status)


def _mark(request, session) -> Registration:
    registration_id = request.POST.get("registration", "")
    if not (registration_id.isascii() and registration_id.isdigit()
            and int(registration_id) <= 2**63 - 1):
        raise Http404  # not an id: no such registration
    registration = get_object_or_404(Registration, session=session, pk=registration_id)
    seats_came = request.POST.get("seats_came")
    return services.attendance_mark(
        registration=registration, attended=request.POST.get("attended") == "1",
        seats_came=seats_came if seats_came not in (None, "") else None, by=request.user)


# --- Coordinators ---------------------------------------------------------------------------

@coordinator_required
def staff_sessions(request):
    """Upcoming sessions with their mix (drifting ones flagged) and past attendance."""
    cities = coordinated_cities(request.user)
    city = None
    if request.GET.get("city"):
        city = cities.filter(slug=request.GET["city"]).first()
        if city is None:
            raise Http404
    upcoming = list(selectors.staff_sessions(request.user, city=city)[:100])
    past = list(selectors.staff_sessions(request.user, city=city, past=True)[:50])
    rows = [(s, selectors.mix_of(s)) for s in upcoming]
    return render(request, "agenda/staff_sessions.html", {
        "rows": rows, "past": past, "cities": cities, "city": city,
        "drifting": sum(1 for _s, mix in rows if mix["drifting"]),
    })


@coordinator_required
def staff_session(request, pk):
    session = selectors.staff_session(request.user, pk)
    if session is None:
        raise Http404
    move_form = MoveForm(request.POST if request.POST.get("action") == "move" else None)
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "move" and not move_form.is_valid():
            status = 400
        try:
            if request.POST.get("action") == "cancel":
                services.session_cancel(session=session, by=request.user)
                messages.success(request, _("The session is cancelled; everyone was told."))
                return redirect("agenda:staff_session", pk=pk)
            if request.POST.get("action") == "move" and move_form.is_valid():
                services.session_move(session=session,
                                      starts_at=move_form.cleaned_data["starts_at"],
                                      ends_at=move_form.cleaned_data["ends_at"])
                messages.success(request, _("The session is moved; everyone was told."))
                return redirect("agenda:staff_session", pk=pk)
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status_code
    audit_personal_data_access(actor=request.user, action="view",
                               subject=f"agenda.session:{session.pk}:registrations")
    registrations = [r for r in session.registrations.all()
                     if r.status != Registration.Status.CANCELLED]
    return render(request, "agenda/staff_session.html", {
        "session": session, "registrations": registrations, "move_form": move_form,
        "counts": services.seat_counts(session),
        "feedback": selectors.feedback_summary(session),
        "attended": sum(1 for r in registrations if r.attended),
    }, status=status)


@coordinator_required
def staff_session_create(request):
    """Schedule a workshop of one of my cities, once or as a series (RRULE)."""
    from interra.proposals.models import Workshop
    from interra.venues.models import Room

    cities = coordinated_cities(request.user)
    form = SessionCreateForm(
        request.POST or None,
        workshops=Workshop.objects.filter(city__in=cities, is_active=True),
        rooms=Room.objects.filter(venue__city__in=cities).select_related("venue"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bookings, sessions = services.session_schedule(
                workshop=data["workshop"], starts_at=data["starts_at"],
                duration=timedelta(minutes=data["duration_minutes"]), room=data["room"],
                rrule=data["repeat"], capacity=data["capacity"], by=request.user,
                confirm_now=data["confirm_now"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if sessions:
                messages.success(request, ngettext(
                    "%(count)d session scheduled.", "%(count)d sessions scheduled.",
                    len(sessions)) % {"count": len(sessions)})
                return redirect("agenda:staff_session", pk=sessions[0].pk)
            messages.success(request, ngettext(
                "%(count)d room request sent to the partner: the session appears on the "
                "agenda once confirmed.",
                "%(count)d room requests sent to the partner: the sessions appear on the "
                "agenda once confirmed.",
                len(bookings)) % {"count": len(bookings)})
            return redirect("venues:bookings")
    return render(request, "agenda/staff_session_new.html", {"form": form})
