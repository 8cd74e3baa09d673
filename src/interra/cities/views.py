from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from interra.core import navigation
from interra.core.audit import audit_personal_data_access

from . import selectors
from .access import coordinator_required, staff_required
from .forms import AuditLogFilterForm


@staff_required
def staff_home(request):
    cities = list(selectors.cities_for_user(request.user))
    facts = navigation.city_facts(cities)
    for city in cities:
        city.facts = facts.get(city.pk, [])
    return render(request, "cities/staff_home.html", {"cities": cities})


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
