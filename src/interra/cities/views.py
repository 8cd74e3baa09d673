from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from interra.accounts.decorators import coordinator_required, staff_required
from interra.core.audit import audit_personal_data_access

from . import selectors


@staff_required
def staff_home(request):
    return render(request, "cities/staff_home.html", {
        "cities": selectors.cities_for_user(request.user),
    })


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
    return render(request, "cities/person_detail.html", {"person": person})
