"""JSON API for coordinators' tools: book a room, cancel a booking (mounted at /api/v1/venues).

Same services as the pages; the session cookie must belong to a coordinator who signed in
with password and second factor, and the CSRF token is checked like on a form.
"""

from datetime import datetime

from django.conf import settings
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.security import APIKeyCookie

from interra.accounts.decorators import is_strongly_authenticated
from interra.cities.models import Role
from interra.cities.selectors import coordinated_cities, roles_of
from interra.core.api_schemas import INPUT_ERRORS, ErrorOut
from interra.proposals.models import Workshop

from . import selectors, services


class CoordinatorSession(APIKeyCookie):
    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated or not is_strongly_authenticated(request):
            return None
        if user.is_network_admin or user.is_superuser or Role.COORDINATOR in roles_of(user):
            return user
        return None


router = Router(tags=["venues"], auth=CoordinatorSession())


class BookingIn(Schema):
    room_id: int
    workshop_id: int
    starts_at: datetime
    ends_at: datetime
    setup_minutes: int | None = None
    cleanup_minutes: int | None = None
    note: str = ""


class BookingOut(Schema):
    id: int
    room_id: int
    workshop_id: int
    starts_at: datetime
    ends_at: datetime
    blocked_from: datetime
    blocked_until: datetime
    status: str


# 401 without a strong staff session, 403 without the CSRF token, 404 for what is not in
# the coordinator's cities, 409 for a time already taken.
REFUSALS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, **INPUT_ERRORS}


@router.post("/bookings", response={201: BookingOut, **REFUSALS})
def booking_request(request, payload: BookingIn):
    """Request a room for a workshop; 409 when the time (buffers included) is taken."""
    room = get_object_or_404(selectors.rooms_for(request.auth), pk=payload.room_id)
    workshop = get_object_or_404(Workshop.objects.filter(city__in=coordinated_cities(request.auth)),
                                 pk=payload.workshop_id)
    booking = services.booking_request(
        room=room, workshop=workshop, starts_at=payload.starts_at, ends_at=payload.ends_at,
        requested_by=request.auth, setup_minutes=payload.setup_minutes,
        cleanup_minutes=payload.cleanup_minutes, note=payload.note,
    )
    return Status(201, booking)


@router.post("/bookings/{booking_id}/cancel", response={200: BookingOut, **REFUSALS})
def booking_cancel(request, booking_id: int):
    booking = get_object_or_404(selectors.bookings_for(request.auth), pk=booking_id)
    return services.booking_cancel(booking=booking, by=request.auth)
