from django.urls import path

from . import views

app_name = "venues"
urlpatterns = [
    path("", views.venue_list, name="list"),
    path("<int:pk>/", views.venue_detail, name="detail"),
    path("finder/", views.finder, name="finder"),
    path("bookings/", views.booking_list, name="bookings"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("rooms/<int:room_pk>/book/", views.booking_new, name="booking_new"),
    path("materials/", views.materials, name="materials"),
    path("materials/<int:pk>/lend/", views.material_lend, name="material_lend"),
    path("loans/<int:pk>/return/", views.loan_return, name="loan_return"),
    path("import/", views.import_rooms, name="import"),
    path("portal/", views.portal, name="portal"),
    path("portal/bookings/<int:pk>/", views.portal_decide, name="portal_decide"),
    path("portal/venues/<int:venue_pk>/closures/", views.portal_closure, name="portal_closure"),
    path("portal/rooms/<int:room_pk>/features/", views.portal_features,
         name="portal_features"),
    path("portal/rooms/<int:room_pk>/openings/", views.portal_opening_add,
         name="portal_opening_add"),
    path("portal/openings/<int:pk>/delete/", views.portal_opening_delete,
         name="portal_opening_delete"),
]
