from django.urls import path

from . import views

app_name = "impact"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("cities/", views.cities, name="cities"),
    path("cities.csv", views.cities_csv, name="cities_csv"),
    path("highlights/<slug:city_slug>/<int:year>/", views.highlights_edit, name="highlights"),
]
