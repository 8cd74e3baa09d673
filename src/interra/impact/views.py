"""Impact pages: thin views over ``selectors.impact_figures``; aggregates only."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

from interra.accounts.decorators import coordinator_required, network_admin_required
from interra.cities.selectors import coordinated_cities
from interra.notifications.selectors import messages_by_channel

from . import charts, exports
from .forms import CitiesFilterForm, ImpactFilterForm, ReportHighlightForm
from .models import ReportHighlight
from .selectors import (
    cities_side_by_side,
    highlights_for,
    impact_figures,
    organisation,
    staff_minutes_per_session,
    staff_minutes_steps,
)
from .services import report_highlight_save


def _filters(request) -> ImpactFilterForm:
    """The filter form over the viewer's cities; a city that is not theirs answers 404."""
    cities = coordinated_cities(request.user).order_by("name")
    slug = request.GET.get("city")
    if slug and not cities.filter(slug=slug).exists():
        # Same answer for "does not exist" and "not yours": no probing of other cities.
        raise Http404
    return ImpactFilterForm(request.GET or None, cities=cities)


def _figures(request):
    form = _filters(request)
    if form.data and not form.is_valid():
        return form, None, []
    if not form.data:
        form = ImpactFilterForm({}, cities=form.cities)
        form.is_valid()
    # Shown again as whole months: the period the figures are really about.
    form = ImpactFilterForm(form.normalised_query(), cities=form.cities)
    form.is_valid()
    selected = form.selected_cities()
    return form, impact_figures(cities=selected, period=form.cleaned_data["period"]), selected


def _filename(figures, extension: str) -> str:
    period = figures.period
    return f"interra-impact-{period.start:%Y%m%d}-{period.last_day:%Y%m%d}.{extension}"


def _highlight_initial(existing, city, user) -> dict:
    """What the report form shows: the saved texts, or the coordinator as signatory."""
    if existing is None:
        return {"signatory_name": user.display_name, "signatory_role": gettext("Coordinator"),
                "signed_at_place": city.name}
    return {name: getattr(existing, name) for name in ReportHighlightForm.base_fields}


@coordinator_required
def dashboard(request):
    form, figures, selected = _figures(request)
    context = {"form": form, "figures": figures, "selected_cities": selected,
               "query": urlencode(form.normalised_query()) if figures else ""}
    if figures is not None:
        year = figures.period.start.year
        saved = {highlight.city_id: highlight
                 for highlight in highlights_for(cities=selected, year=year)}
        context["charts"] = charts.all_charts(figures)
        context["minutes_per_session"] = staff_minutes_per_session()
        context["minutes_steps"] = staff_minutes_steps()
        context["all_cities"] = len(selected) == len(form.cities) and len(selected) != 1
        context["highlight_year"] = year
        context["report_forms"] = [
            {"city": city, "saved": saved.get(city.pk),
             "form": ReportHighlightForm(initial=_highlight_initial(saved.get(city.pk), city,
                                                                    request.user),
                                         auto_id=f"id_{city.slug}_%s")}
            for city in selected
        ]
        context["organisation"] = organisation()
        # Counts of messages, not of people: exact, on this page only (docs/data-protection.md).
        context["messages_by_channel"] = messages_by_channel(
            cities=selected, start=figures.period.start_at, end=figures.period.end_at)
        context["back"] = f"{request.path}?{context['query']}"
    return render(request, "impact/dashboard.html", context, status=200 if figures else 400)


def _export(request, render_file, content_type: str, extension: str):
    form, figures, selected = _figures(request)
    if figures is None:
        problems = [str(message) for messages in form.errors.values() for message in messages]
        return HttpResponse("\n".join([gettext("Choose a valid period."), *problems]),
                            status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(render_file(figures, selected), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_filename(figures, extension)}"'
    return response


@coordinator_required
def export_csv(request):
    return _export(request, lambda figures, cities: exports.figures_csv(figures),
                   "text/csv; charset=utf-8", "csv")


@coordinator_required
def export_xlsx(request):
    return _export(
        request, lambda figures, cities: exports.figures_xlsx(figures),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx",
    )


@coordinator_required
def report_pdf(request):
    return _export(request, lambda figures, cities: exports.report_pdf(figures, cities=cities),
                   "application/pdf", "pdf")


@coordinator_required
def highlights_edit(request, city_slug: str, year: int):
    city = coordinated_cities(request.user).filter(slug=city_slug).first()
    if city is None or not 2000 <= year <= 2100:
        raise Http404
    existing = ReportHighlight.objects.filter(city=city, year=year).first()
    form = ReportHighlightForm(request.POST or None,
                               initial=_highlight_initial(existing, city, request.user))
    if request.method == "POST" and form.is_valid():
        report_highlight_save(city=city, year=year, author=request.user, **form.cleaned_data)
        back = request.POST.get("next", "")
        if back.startswith(reverse("impact:dashboard")) and url_has_allowed_host_and_scheme(
                back, allowed_hosts={request.get_host()}):
            return redirect(f"{back}&saved={city.slug}#report-{city.slug}")
        return redirect(f"{request.path}?saved=1")
    return render(request, "impact/highlights.html", {
        "form": form, "city": city, "year": year, "saved": request.GET.get("saved") == "1",
    }, status=400 if form.is_bound and not form.is_valid() else 200)


# --- Cities side by side (network admins) ----------------------------------------------

def _cities_table(request):
    """The period form, and the table (None when the period is wrong)."""
    cities = coordinated_cities(request.user).order_by("name")  # every city, for them
    form = CitiesFilterForm(request.GET or {}, cities=cities)
    if not form.is_valid():
        return form, None
    # Shown again as whole months: the period the figures are really about.
    form = CitiesFilterForm(form.normalised_query(), cities=cities)
    form.is_valid()
    return form, cities_side_by_side(cities=form.cities, period=form.cleaned_data["period"])


@network_admin_required
def cities(request):
    form, table = _cities_table(request)
    return render(request, "impact/cities.html", {
        "form": form, "table": table,
        "query": urlencode(form.normalised_query()) if table else "",
    }, status=200 if table else 400)


@network_admin_required
def cities_csv(request):
    form, table = _cities_table(request)
    if table is None:
        problems = [str(message) for messages in form.errors.values() for message in messages]
        return HttpResponse("\n".join([gettext("Choose a valid period."), *problems]),
                            status=400, content_type="text/plain; charset=utf-8")
    period = table.period
    response = HttpResponse(exports.cities_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="interra-impact-cities-{period.start:%Y%m%d}-'
        f'{period.last_day:%Y%m%d}.csv"')
    return response
