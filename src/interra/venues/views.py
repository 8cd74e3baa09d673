"""Pages for coordinators (venues, bookings, room finder, materials, import) and for
partner contacts (the portal, reached through a magic link)."""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from interra.accounts.decorators import coordinator_required
from interra.cities.models import City
from interra.cities.selectors import coordinated_cities
from interra.core import embed
from interra.core.errors import DomainError
from interra.proposals.models import Workshop

from . import imports, selectors, services
from .forms import (
    BookingForm,
    ClosureForm,
    DecisionForm,
    FinderForm,
    ImportForm,
    LoanForm,
    OpeningRuleForm,
    RoomFeaturesForm,
    WidgetSnippetForm,
)
from .models import Booking, OpeningRule

IMPORT_SESSION_KEY = "venues_import_rows"


# --- Coordinators --------------------------------------------------------------------------

@coordinator_required
def venue_list(request):
    cities = coordinated_cities(request.user)
    city = None
    if request.GET.get("city"):
        city = cities.filter(slug=request.GET["city"]).first()
        if city is None:
            raise Http404
    venues = list(selectors.venues_for(request.user, city=city))
    return render(request, "venues/venue_list.html", {
        "venues": venues, "cities": cities, "city": city,
        "map_points": selectors.map_points(venues),
    })


@coordinator_required
def venue_detail(request, pk):
    venue = selectors.venue_detail_for(request.user, pk)
    if venue is None:
        raise Http404
    return render(request, "venues/venue_detail.html", {
        "venue": venue, "map_points": selectors.map_points([venue]),
    })


@coordinator_required
def booking_list(request):
    status = request.GET.get("status", "")
    if status not in Booking.Status.values:
        status = ""
    bookings = selectors.bookings_for(request.user, status=status)[:200]
    return render(request, "venues/booking_list.html", {
        "bookings": bookings, "status": status, "statuses": Booking.Status.choices,
    })


@coordinator_required
def booking_new(request, room_pk):
    room = get_object_or_404(selectors.rooms_for(request.user), pk=room_pk)
    workshops = Workshop.objects.filter(city=room.venue.city, is_active=True)
    initial = {}
    if request.GET.get("start"):
        try:
            start = datetime.fromisoformat(request.GET["start"])
            minutes = int(request.GET.get("minutes", 120))
            initial = {"starts_at": start, "ends_at": start + timedelta(minutes=minutes)}
        except (ValueError, OverflowError):
            pass  # a bad suggestion in the link: start from an empty form
    form = BookingForm(request.POST or None, initial=initial, workshops=workshops)
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_request(room=room, requested_by=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Request sent to the partner."))
            return redirect("venues:bookings")
    return render(request, "venues/booking_form.html", {"form": form, "room": room})


@coordinator_required
@require_POST
def booking_cancel(request, pk):
    booking = get_object_or_404(selectors.bookings_for(request.user), pk=pk)
    try:
        services.booking_cancel(booking=booking, by=request.user)
        messages.success(request, _("Booking cancelled."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("venues:bookings")


@coordinator_required
def finder(request):
    cities = coordinated_cities(request.user)
    form = FinderForm(request.GET or None, cities=cities)
    candidates = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        tz = timezone.get_current_timezone()
        candidates = selectors.room_finder(
            city=data["city"], capacity=data["capacity"], equipment=data["equipment"],
            accessibility=data["accessibility"], neighbourhoods=data["neighbourhoods"],
            window_start=datetime.combine(data["date_from"], time.min, tzinfo=tz),
            window_end=datetime.combine(data["date_to"] + timedelta(days=1), time.min,
                                        tzinfo=tz),
            duration=timedelta(minutes=data["duration"]), limit=50,
        )
    return render(request, "venues/finder.html", {
        "form": form, "candidates": candidates,
        "duration": form.cleaned_data.get("duration") if candidates is not None else None,
        "map_points": selectors.map_points([c.venue for c in candidates or []]),
    }, status=400 if request.GET and form.errors else 200)


@coordinator_required
def materials(request):
    return render(request, "venues/materials.html", {
        "materials": selectors.materials_for(request.user),
        "overdue": selectors.overdue_loans_for(request.user),
        "current": selectors.current_loans_for(request.user)[:100],
        "now": timezone.now(),
    })


@coordinator_required
def material_lend(request, pk):
    material = get_object_or_404(selectors.materials_for(request.user), pk=pk)
    workshops = Workshop.objects.filter(city=material.city, is_active=True)
    form = LoanForm(request.POST or None, workshops=workshops)
    if request.method == "POST" and form.is_valid():
        try:
            services.material_loan_create(material=material, created_by=request.user,
                                          **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Loan recorded."))
            return redirect("venues:materials")
    return render(request, "venues/loan_form.html", {"form": form, "material": material})


@coordinator_required
@require_POST
def loan_return(request, pk):
    from .models import MaterialLoan

    loan = get_object_or_404(
        MaterialLoan.objects.filter(material__city__in=coordinated_cities(request.user)), pk=pk)
    try:
        services.material_loan_return(loan=loan)
        messages.success(request, _("Marked as returned."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("venues:materials")


@coordinator_required
def import_rooms(request):
    """Step 1: upload and preview; step 2 (``confirm``): save the previewed rows."""
    cities = coordinated_cities(request.user)
    if request.method == "POST" and "confirm" in request.POST:
        stored = request.session.get(IMPORT_SESSION_KEY)
        city = cities.filter(pk=(stored or {}).get("city")).first()
        if not stored or city is None:
            messages.error(request, _("Upload the file again."))
            return redirect("venues:import")
        try:
            created = imports.rooms_import(city=city, rows=stored["rows"])
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("venues:import")
        del request.session[IMPORT_SESSION_KEY]
        messages.success(request, _("Imported %(partners)s partners, %(venues)s venues and "
                                    "%(rooms)s rooms.") % created)
        return redirect("venues:list")
    # The opening checklist links here with ?city=: that city comes first in the choice.
    initial = {"city": cities.filter(pk=request.GET.get("city", "")).first()
               if request.GET.get("city", "").isdigit() else None}
    form = ImportForm(request.POST or None, request.FILES or None, cities=cities,
                      initial=initial)
    results = None
    if request.method == "POST" and form.is_valid():
        try:
            rows = imports.read_rows(form.cleaned_data["file"])
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            results = imports.validate_rows(form.cleaned_data["city"], rows)
            if not any(result.errors for result in results):
                request.session[IMPORT_SESSION_KEY] = {
                    "city": form.cleaned_data["city"].pk, "rows": rows}
            else:
                request.session.pop(IMPORT_SESSION_KEY, None)
    return render(request, "venues/import.html", {
        "form": form, "results": results, "columns": imports.COLUMNS,
        "has_errors": bool(results and any(r.errors for r in results)),
    })


# --- Partner portal ------------------------------------------------------------------------

def _portal_user(request):
    if not selectors.partners_of_contact(request.user).exists():
        raise PermissionDenied
    return request.user


@login_required
def portal(request):
    user = _portal_user(request)
    upcoming, past = selectors.portal_bookings_split(user)
    venues = selectors.portal_venues(user)
    return render(request, "venues/portal.html", {
        "requests": [b for b in upcoming if b.status == Booking.Status.REQUESTED],
        "others": [b for b in upcoming if b.status != Booking.Status.REQUESTED],
        "past": past,
        "venues": venues,
        "decision_form": DecisionForm(),
        "features_forms": {
            room.pk: RoomFeaturesForm(initial={"equipment": room.equipment,
                                               "accessibility": room.accessibility},
                                      prefix=f"room{room.pk}")
            for venue in venues for room in venue.rooms.all()
        },
        "opening_form": OpeningRuleForm(),
        **_widget_context(request, user),
    })


def _widget_context(request, user) -> dict:
    """The agenda widget's code for the partner's website, for the city and language
    chosen (by default the partner's city, in the language of this page)."""
    cities = City.objects.order_by("name")
    partner = selectors.partners_of_contact(user).select_related("city").first()
    initial = {"city": partner.city.slug, "language": translation.get_language()}
    form = WidgetSnippetForm(request.GET if "city" in request.GET else None,
                             cities=cities, initial=initial, auto_id="widget-%s")
    choice = form.cleaned_data if form.is_valid() else initial
    return {
        "widget_form": form,
        "widget_snippet": embed.snippet(city=choice["city"], language=choice["language"]),
        "widget_choice": choice,
    }


@login_required
@require_POST
def portal_decide(request, pk):
    user = _portal_user(request)
    booking = get_object_or_404(selectors.portal_bookings(user), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose confirm or refuse."))
        return redirect("venues:portal")
    decide = (services.booking_confirm if form.cleaned_data["decision"] == "confirm"
              else services.booking_refuse)
    try:
        decide(booking=booking, by=user, message=form.cleaned_data["message"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Answer sent to Interra."))
    return redirect("venues:portal")


@login_required
def portal_closure(request, venue_pk):
    user = _portal_user(request)
    venue = get_object_or_404(selectors.portal_venues(user), pk=venue_pk)
    form = ClosureForm(request.POST or None, venue=venue)
    if request.method == "POST" and form.is_valid():
        try:
            services.closure_add(venue=venue, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Closure added."))
            return redirect("venues:portal")
    return render(request, "venues/portal_closure.html", {"form": form, "venue": venue})


@login_required
@require_POST
def portal_features(request, room_pk):
    user = _portal_user(request)
    room = get_object_or_404(selectors.portal_rooms(user), pk=room_pk)
    form = RoomFeaturesForm(request.POST, prefix=f"room{room.pk}")
    if form.is_valid():
        services.room_features_update(room=room, **form.cleaned_data)
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Choose from the list."))
    return redirect("venues:portal")


@login_required
@require_POST
def portal_opening_add(request, room_pk):
    user = _portal_user(request)
    room = get_object_or_404(selectors.portal_rooms(user), pk=room_pk)
    form = OpeningRuleForm(request.POST)
    if form.is_valid():
        try:
            services.opening_rule_add(room=room, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Opening hours added."))
    else:
        messages.error(request, _("Choose the days and the hours."))
    return redirect("venues:portal")


@login_required
@require_POST
def portal_opening_delete(request, pk):
    user = _portal_user(request)
    rule = get_object_or_404(OpeningRule.objects.filter(room__in=selectors.portal_rooms(user)),
                             pk=pk)
    services.opening_rule_delete(rule=rule)
    messages.success(request, _("Opening hours removed."))
    return redirect("venues:portal")
