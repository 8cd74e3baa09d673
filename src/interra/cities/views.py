from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from interra.core import navigation
from interra.core.audit import audit_personal_data_access
from interra.core.errors import DomainError

from . import checklist, selectors, services
from .access import coordinator_required, network_admin_required, staff_required
from .forms import AuditLogFilterForm, CityCreateForm, CitySettingsForm


@staff_required
def staff_home(request):
    """The team's home; a coordinator of a city being opened also reads its checklist."""
    openings = []
    for city in selectors.cities_opening_for(request.user):
        items = checklist.checklist_for(city)
        if not all(item["done"] for item in items):
            openings.append({"city": city, "items": items})
    cities = list(selectors.cities_for_user(request.user))
    facts = navigation.city_facts(cities)
    for city in cities:
        city.facts = facts.get(city.pk, [])
    return render(request, "cities/staff_home.html", {
        "cities": cities, "openings": openings,
        "coordinated": set(selectors.cities_coordinated_by_membership(request.user)),
    })


@network_admin_required
def city_new(request):
    """A network admin opens a city, then invites its first coordinator (next page)."""
    form = CityCreateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                city = services.city_create(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _("%(city)s is open. Now invite its first "
                                            "coordinator.") % {"city": city.name})
                # The existing invitation page, the city and the role already chosen.
                return redirect(reverse("accounts:staff_invite") + "?" + urlencode(
                    {"city": city.pk, "role": "coordinator"}))
        else:
            status = 400
    return render(request, "cities/city_new.html", {"form": form}, status=status)


def _my_city(request, city_slug):
    """A city this person coordinates; any other (another city's, or none) is a 404."""
    city = selectors.cities_coordinated_by_membership(request.user).filter(slug=city_slug).first()
    if city is None:
        raise Http404
    return city


@coordinator_required
def city_settings(request, city_slug):
    """Languages, mix defaults and release, reminders, poster branding and address: the
    coordinators of that city only (not another city's, not a network admin as such)."""
    city = _my_city(request, city_slug)
    form = CitySettingsForm(request.POST or None, initial=CitySettingsForm.initial_for(city))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.city_settings_update(actor=request.user, city=city,
                                              **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _("Settings saved."))
                return redirect("cities:staff_home")
        else:
            status = 400
    return render(request, "cities/city_settings.html", {"form": form, "city": city},
                  status=status)


@coordinator_required
@require_POST
def checklist_dismiss(request, city_slug):
    city = _my_city(request, city_slug)
    services.city_checklist_dismiss(actor=request.user, city=city)
    messages.success(request, _("The checklist is hidden."))
    return redirect("cities:staff_home")


@coordinator_required
def people(request):
    """The people of the cities this coordinator coordinates, and only those."""
    city = None
    city_slug = request.GET.get("city")
    cities = selectors.coordinated_cities(request.user)
    if city_slug:
        city = cities.filter(slug=city_slug).first()
        if city is None:
            raise Http404
    queryset = selectors.people_visible_to(request.user, city=city)
    query = (request.GET.get("q") or "").strip()[:80]
    if query:
        queryset = queryset.filter(display_name__icontains=query)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    audit_personal_data_access(
        actor=request.user, action="view", subject="accounts.user:list",
        # That a search happened, never what was typed (a name is personal data).
        detail=f"city={city_slug or '*'} search={'yes' if query else 'no'} page={page.number}",
    )
    return render(request, "cities/people.html", {
        "page": page, "cities": cities, "city": city, "query": query,
    })


@coordinator_required
def person_detail(request, pk):
    person = selectors.people_visible_to(request.user).filter(pk=pk).first()
    if person is None:
        # Same answer for "does not exist" and "not yours": no probing of other cities.
        raise Http404
    audit_personal_data_access(
        actor=request.user, action="view", subject=f"accounts.user:{person.pk}"
    )
    return render(request, "cities/person_detail.html", {
        "person": person,
        "show_mark": selectors.mark_visible_to(request.user, person),
        "memberships": selectors.memberships_visible_to(request.user, person),
    })


@coordinator_required
def audit_log(request):
    """Network admins read who looked at whose data, filtered by staff member and dates.
    Reading it is itself audited (with the filters, which name no one but ids)."""
    if not (request.user.is_network_admin or request.user.is_superuser):
        raise PermissionDenied
    form = AuditLogFilterForm(request.GET or None, actors=selectors.audit_actors())
    filters = form.cleaned_data if form.is_valid() else {}
    day_from, day_to = filters.get("date_from"), filters.get("date_to")
    entries = selectors.audit_entries(
        actor=filters.get("actor"),
        since=timezone.make_aware(datetime.combine(day_from, time.min)) if day_from else None,
        until=(timezone.make_aware(datetime.combine(day_to + timedelta(days=1), time.min))
               if day_to and day_to < date.max else None),
    )
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # read before this very look is recorded
    audit_personal_data_access(
        actor=request.user, action="view", subject="core.auditlogentry:list",
        detail=(f"actor={getattr(filters.get('actor'), 'pk', '*')} "
                f"from={day_from or '*'} to={day_to or '*'} page={page.number}"))
    return render(request, "cities/audit_log.html", {
        "form": form, "page": page,
        "query": _without_page(request)})


def _without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
