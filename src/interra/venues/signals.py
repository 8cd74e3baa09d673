"""What venues tells the apps above it about bookings.

Venues sits below the agenda (the agenda builds sessions in booked rooms), so venues never
imports the agenda: it sends these signals and the agenda connects to them in
``AgendaConfig.ready``. They are sent inside the service's transaction, after the booking
is saved, with ``send`` (not ``send_robust``): a receiver's writes commit or roll back with
the booking, and a receiver that raises undoes the whole change.

Both are sent with ``sender=Booking`` and ``booking=`` the saved booking.
"""

from django.dispatch import Signal

# A requested booking was accepted (by a partner contact or a coordinator).
booking_confirmed = Signal()
# An active booking (requested or confirmed) was withdrawn by Interra.
booking_cancelled = Signal()
