"""The project's URLs plus /bare/, for benchmarks only (never in production URLs).

``bench_settings`` points ROOT_URLCONF here; bench/ is on PYTHONPATH only in a bench run.
"""

from django.http import HttpResponse
from django.urls import path

from interra.config.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def bare(request):
    """A constant string: the baseline that benchmarks compare real pages against."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bare/", bare, name="bare"), *urlpatterns]
