"""The written role x URL x object matrix: what each role must get at each URL.

Every URL pattern of the project has a row here (test_matrix.py fails for a pattern
without one). A row gives the path with the kind of object each parameter takes
({session}, {proposal}, {registration_token}, ...), then per object variant and per method
the answer each role must get. Variants (see matrix_world.py):

- ``liege``: an object of Liège that belongs to the Liège people who sign in (the
  leader's session, the partner's venue, the participant's registration link);
- ``liege2``: another Liège person's object (another leader, partner or participant);
- ``namur``: an object of the other city;
- ``missing``: an id that does not exist, a forged token; ``expired``: an expired link.

Roles (columns of ``T``): anonymous; a participant, a workshop leader, a partner contact
and an employer of Liège (signed in by magic link); a volunteer and a coordinator of
Liège, the coordinator of Namur and a network admin (site and admin site), all signed in
with password and second factor; then the same Liège coordinator with a password but
no second factor, the coordinator, the volunteer and the network admin signed in by
magic link only.

Answers: a status code, or a redirect named by where it goes: ``S`` the staff sign-in,
``L`` the sign-in page, ``A`` the admin login, ``R`` anywhere else (a form that worked).

Adding a URL: add a row with its expected answers, written from what the page is for
(who may see or do it), never copied from what the code answers today.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

ROLES = ("anon", "part", "lead", "partner", "employer", "vol", "coord", "namur", "admin",
         "coord_pw", "coord_link", "vol_link", "admin_link")
S, L, A, R = "staff-sign-in", "sign-in", "admin-login", "redirect"


def T(*cells) -> dict:
    """One line of the matrix, in the order of ROLES."""
    assert len(cells) == len(ROLES), cells
    return dict(zip(ROLES, cells, strict=True))


def ok_is(cells: dict, status) -> dict:
    """The same line where the allowed roles get ``status`` instead of 200 (a POST with
    an empty form: 400, a redirect when it worked, ...)."""
    return {role: status if cell == 200 else cell for role, cell in cells.items()}


@dataclass
class Row:
    route: str        # the resolver's pattern, as test_matrix walks it
    path: str         # with {kind} for each parameter
    get: dict         # variant -> line
    post: dict | None = None
    json: bool = False  # POST bodies as JSON (the API)
    body: dict = field(default_factory=dict)
    # The kind whose holder's name the page shows by that holder's choice (a portfolio
    # they made public, a credential's verification page): not counted as a leak.
    holder: str | None = None


def V(**variants) -> dict:
    return variants


# Columns: anon part lead partner employer | vol coord namur admin | coord_pw coord_link
# vol_link admin_link.
EVERYONE = T(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)
NOBODY = T(404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)
METHOD = T(405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)
SIGNED_IN = T(L, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)
SIGNED_IN_METHOD = T(L, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)
# @staff_required: coordinators, volunteers, network admins with the second factor.
STAFF = T(S, 403, 403, 403, 403, 200, 200, 200, 200, S, S, S, S)
STAFF_LIEGE = T(S, 403, 403, 403, 403, 200, 200, 404, 200, S, S, S, S)
STAFF_NAMUR = T(S, 403, 403, 403, 403, 404, 404, 200, 200, S, S, S, S)
STAFF_MISSING = T(S, 403, 403, 403, 403, 404, 404, 404, 404, S, S, S, S)
# Staff actions only coordinators take (a volunteer is refused).
STAFF_COORD_LIEGE = T(S, 403, 403, 403, 403, 404, 200, 404, 200, S, S, S, S)
STAFF_COORD_NAMUR = T(S, 403, 403, 403, 403, 404, 404, 200, 200, S, S, S, S)
# @coordinator_required: coordinators and network admins with the second factor.
COORD = T(S, 403, 403, 403, 403, 403, 200, 200, 200, S, S, 403, S)
COORD_LIEGE = T(S, 403, 403, 403, 403, 403, 200, 404, 200, S, S, 403, S)
COORD_NAMUR = T(S, 403, 403, 403, 403, 403, 404, 200, 200, S, S, 403, S)
COORD_MISSING = T(S, 403, 403, 403, 403, 403, 404, 404, 404, S, S, 403, S)
COORD_METHOD = T(S, 403, 403, 403, 403, 403, 405, 405, 405, S, S, 403, S)
NETWORK_ADMIN = T(S, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403, S)
# A city's own coordinators only (its settings): not another city's, not a network admin.
CITY_TEAM_LIEGE = T(S, 403, 403, 403, 403, 403, 200, 404, 404, S, S, 403, S)
CITY_TEAM_NAMUR = T(S, 403, 403, 403, 403, 403, 404, 200, 404, S, S, 403, S)
# Own-space pages behind @login_required: only the owner (the Liège leader, partner,
# participant) gets the object; everybody else the same 404 as for no such object.
LEADER_LIEGE = T(L, 404, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)
OWNER_NONE = T(L, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)
# The partner portal: partner contacts only (others 403), their own venues only.
PARTNER_LIEGE = T(L, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)
PARTNER_NONE = T(L, 403, 403, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403)
# Verified organisations: their contact person (the employer of Liège).
EMPLOYER = T(L, 403, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403)
EMPLOYER_NONE = T(L, 403, 403, 403, 404, 403, 403, 403, 403, 403, 403, 403, 403)
EMPLOYER_OWN = T(L, 404, 404, 404, 200, 404, 404, 404, 404, 404, 404, 404, 404)
PARTICIPANT_LIEGE = T(L, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)
# The admin site: the network admin (a superuser) with the second factor only.
ADMIN = T(A, A, A, A, A, A, A, A, 200, A, A, A, A)
ADMIN_REFUSED = T(A, A, A, A, A, A, A, A, 403, A, A, A, A)
ADMIN_MOVED = T(A, A, A, A, A, A, A, A, R, A, A, A, A)


def coord_object(get=COORD_LIEGE, *, liege2=None):
    """Variants of an object a coordinator of its city (or a network admin) sees."""
    return V(liege=get, liege2=liege2 or get, namur=COORD_NAMUR, missing=COORD_MISSING)


ROWS = [
    # --- core -----------------------------------------------------------------------------
    Row("", "/", V(none=EVERYONE)),
    Row("privacy/", "/privacy/", V(none=EVERYONE)),
    Row("health/", "/health/", V(none=EVERYONE)),
    # The installable app: public, nothing personal (the offline page is cached).
    Row("manifest.webmanifest", "/manifest.webmanifest", V(none=EVERYONE)),
    Row("sw.js", "/sw.js", V(none=EVERYONE)),
    Row("offline/", "/offline/", V(none=EVERYONE)),
    # --- accounts -------------------------------------------------------------------------
    Row("accounts/sign-in/", "/accounts/sign-in/", V(none=EVERYONE), post=V(none=EVERYONE)),
    Row("accounts/link/", "/accounts/link/", V(none=ok_is(EVERYONE, 403))),
    Row("accounts/staff/sign-in/", "/accounts/staff/sign-in/", V(none=EVERYONE),
        post=V(none=ok_is(EVERYONE, 400))),
    Row("accounts/staff/enrol/<str:token>/", "/accounts/staff/enrol/{enrol_token}/",
        V(liege=EVERYONE, missing=NOBODY), post=V(liege=ok_is(EVERYONE, 400), missing=NOBODY)),
    # A network admin invites coordinators and volunteers; a coordinator, the volunteers
    # of their own city (the choices are theirs only, see test_city_opening).
    Row("accounts/staff/invite/", "/accounts/staff/invite/", V(none=COORD),
        post=V(none=ok_is(COORD, 400))),
    Row("accounts/sign-out/", "/accounts/sign-out/", V(none=METHOD),
        post=V(none=ok_is(EVERYONE, R))),
    Row("accounts/me/", "/accounts/me/", V(none=SIGNED_IN)),
    Row("accounts/me/contact/", "/accounts/me/contact/", V(none=SIGNED_IN_METHOD),
        post=V(none=ok_is(SIGNED_IN, R))),
    # A contact's confirmation link: opened on the device that got the message.
    Row("accounts/contact/<str:token>/", "/accounts/contact/{contact_token}/",
        V(liege=EVERYONE, namur=EVERYONE, expired=NOBODY, missing=NOBODY)),
    Row("accounts/me/data/", "/accounts/me/data/", V(none=SIGNED_IN)),
    Row("accounts/me/erase/", "/accounts/me/erase/", V(none=METHOD),
        post=V(none=T(L, 400, 400, 400, 400, 400, 400, 400, 400, S, S, S, S))),
    # --- staff: people and the audit log --------------------------------------------------
    Row("staff/", "/staff/", V(none=STAFF)),
    Row("staff/people/", "/staff/people/", V(none=COORD)),
    Row("staff/people/<int:pk>/", "/staff/people/{person}/", coord_object()),
    Row("staff/audit/", "/staff/audit/",
        V(none=T(S, 403, 403, 403, 403, 403, 403, 403, 200, S, S, 403, S))),
    # Opening a city: network admins only. Its settings and its checklist: the
    # coordinators of that city only (a network admin as such is not one of them).
    Row("staff/cities/new/", "/staff/cities/new/", V(none=NETWORK_ADMIN),
        post=V(none=ok_is(NETWORK_ADMIN, 400))),
    Row("staff/cities/<slug:city_slug>/settings/", "/staff/cities/{city_slug}/settings/",
        V(liege=CITY_TEAM_LIEGE, namur=CITY_TEAM_NAMUR, missing=COORD_MISSING),
        post=V(liege=ok_is(CITY_TEAM_LIEGE, 400), namur=ok_is(CITY_TEAM_NAMUR, 400),
               missing=COORD_MISSING)),
    Row("staff/cities/<slug:city_slug>/checklist/dismiss/",
        "/staff/cities/{city_slug}/checklist/dismiss/", V(liege=COORD_METHOD),
        post=V(liege=ok_is(CITY_TEAM_LIEGE, R), namur=ok_is(CITY_TEAM_NAMUR, R),
               missing=COORD_MISSING)),
    # --- proposals ------------------------------------------------------------------------
    Row("proposals/new/", "/proposals/new/", V(none=EVERYONE),
        post=V(none=ok_is(EVERYONE, 400))),
    Row("proposals/new/<int:step>/", "/proposals/new/{step}/",
        V(liege=EVERYONE, missing=NOBODY)),
    Row("proposals/sent/", "/proposals/sent/", V(none=EVERYONE)),
    Row("proposals/board/", "/proposals/board/", V(none=COORD)),
    Row("proposals/<int:pk>/", "/proposals/{proposal}/",
        V(liege=STAFF_LIEGE, liege2=STAFF_LIEGE, namur=STAFF_NAMUR, missing=STAFF_MISSING)),
    *[Row(f"proposals/<int:pk>/{action}/", f"/proposals/{{proposal}}/{action}/",
          V(liege=METHOD), post=V(liege=ok_is(lines[0], status), namur=ok_is(lines[1], status),
                                  missing=STAFF_MISSING))
      for action, lines, status in [
          ("move", (STAFF_COORD_LIEGE, STAFF_COORD_NAMUR), 400),
          ("assign", (STAFF_COORD_LIEGE, STAFF_COORD_NAMUR), R),
          ("co-leaders", (STAFF_COORD_LIEGE, STAFF_COORD_NAMUR), 400),
          ("notes", (STAFF_LIEGE, STAFF_NAMUR), 400),
          ("translate", (STAFF_LIEGE, STAFF_NAMUR), 400),
      ]],
    Row("proposals/<int:pk>/co-leaders/<int:person_pk>/remove/",
        "/proposals/{proposal}/co-leaders/{co_leader}/remove/", V(liege=METHOD),
        post=V(liege=ok_is(STAFF_COORD_LIEGE, R), namur=ok_is(STAFF_COORD_NAMUR, R),
               missing=STAFF_MISSING)),
    Row("proposals/<int:pk>/co-leaders/invitations/<int:invitation_pk>/cancel/",
        "/proposals/{proposal}/co-leaders/invitations/{invitation}/cancel/", V(liege=METHOD),
        post=V(liege=ok_is(STAFF_COORD_LIEGE, R), namur=ok_is(STAFF_COORD_NAMUR, R),
               missing=STAFF_MISSING)),
    Row("proposals/tasks/", "/proposals/tasks/", V(none=STAFF)),
    *[Row(f"proposals/tasks/<int:pk>/{action}/", f"/proposals/tasks/{{task}}/{action}/",
          V(liege=METHOD), post=V(liege=ok_is(STAFF_LIEGE, status),
                                  namur=ok_is(STAFF_NAMUR, status), missing=STAFF_MISSING))
      for action, status in [("close", R), ("take", R), ("reopen", R)]],
    # Assigning is the coordinators' (a volunteer takes a task for themselves).
    Row("proposals/tasks/<int:pk>/assign/", "/proposals/tasks/{task}/assign/", V(liege=METHOD),
        post=V(liege=ok_is(STAFF_COORD_LIEGE, R), namur=ok_is(STAFF_COORD_NAMUR, R),
               missing=STAFF_MISSING)),
    Row("proposals/mine/", "/proposals/mine/", V(none=SIGNED_IN)),
    Row("proposals/mine/<int:pk>/text/", "/proposals/mine/{proposal}/text/",
        V(liege=LEADER_LIEGE, liege2=OWNER_NONE, namur=OWNER_NONE, missing=OWNER_NONE),
        post=V(liege=ok_is(LEADER_LIEGE, 400), namur=OWNER_NONE)),
    Row("proposals/mine/<int:pk>/withdraw/", "/proposals/mine/{proposal}/withdraw/",
        V(liege=METHOD), post=V(liege=ok_is(LEADER_LIEGE, R), liege2=OWNER_NONE,
                                namur=OWNER_NONE)),
    Row("proposals/mine/invitations/<int:invitation_pk>/",
        "/proposals/mine/invitations/{invitation}/", V(liege=METHOD),
        post=V(liege=ok_is(PARTICIPANT_LIEGE, R), liege2=OWNER_NONE, namur=OWNER_NONE)),
    # --- venues ---------------------------------------------------------------------------
    Row("venues/", "/venues/", V(none=COORD)),
    Row("venues/<int:pk>/", "/venues/{venue}/", coord_object()),
    Row("venues/finder/", "/venues/finder/", V(none=COORD)),
    Row("venues/bookings/", "/venues/bookings/", V(none=COORD)),
    Row("venues/bookings/<int:pk>/cancel/", "/venues/bookings/{booking}/cancel/",
        V(liege=COORD_METHOD),
        post=V(liege=ok_is(COORD_LIEGE, R), namur=ok_is(COORD_NAMUR, R),
               missing=COORD_MISSING)),
    # Forms answer an empty POST with the form and its errors (200).
    Row("venues/rooms/<int:room_pk>/book/", "/venues/rooms/{room}/book/", coord_object(),
        post=coord_object()),
    Row("venues/materials/", "/venues/materials/", V(none=COORD)),
    Row("venues/materials/<int:pk>/lend/", "/venues/materials/{material}/lend/",
        coord_object(), post=coord_object()),
    Row("venues/loans/<int:pk>/return/", "/venues/loans/{loan}/return/",
        V(liege=COORD_METHOD),
        post=V(liege=ok_is(COORD_LIEGE, R), namur=ok_is(COORD_NAMUR, R),
               missing=COORD_MISSING)),
    Row("venues/import/", "/venues/import/", V(none=COORD), post=V(none=COORD)),
    Row("venues/portal/", "/venues/portal/",
        V(none=T(L, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403))),
    Row("venues/portal/bookings/<int:pk>/", "/venues/portal/bookings/{booking}/",
        V(liege=SIGNED_IN_METHOD),
        post=V(liege=ok_is(PARTNER_LIEGE, R), liege2=PARTNER_NONE, namur=PARTNER_NONE)),
    Row("venues/portal/venues/<int:venue_pk>/closures/",
        "/venues/portal/venues/{venue}/closures/",
        V(liege=PARTNER_LIEGE, liege2=PARTNER_NONE, namur=PARTNER_NONE, missing=PARTNER_NONE),
        post=V(liege=PARTNER_LIEGE, namur=PARTNER_NONE)),
    Row("venues/portal/rooms/<int:room_pk>/features/", "/venues/portal/rooms/{room}/features/",
        V(liege=SIGNED_IN_METHOD),
        post=V(liege=ok_is(PARTNER_LIEGE, R), liege2=PARTNER_NONE, namur=PARTNER_NONE)),
    Row("venues/portal/rooms/<int:room_pk>/openings/", "/venues/portal/rooms/{room}/openings/",
        V(liege=SIGNED_IN_METHOD),
        post=V(liege=ok_is(PARTNER_LIEGE, R), liege2=PARTNER_NONE, namur=PARTNER_NONE)),
    Row("venues/portal/openings/<int:pk>/delete/", "/venues/portal/openings/{opening}/delete/",
        V(liege=SIGNED_IN_METHOD),
        post=V(liege=ok_is(PARTNER_LIEGE, R), liege2=PARTNER_NONE, namur=PARTNER_NONE)),
    # --- agenda ---------------------------------------------------------------------------
    Row("agenda/", "/agenda/", V(none=EVERYONE)),
    Row("agenda/<int:pk>/", "/agenda/{session}/", V(liege=EVERYONE, namur=EVERYONE,
                                                    missing=NOBODY)),
    Row("agenda/<int:pk>/register/", "/agenda/{session}/register/", V(liege=METHOD),
        post=V(liege=ok_is(EVERYONE, 400), namur=ok_is(EVERYONE, 400), missing=NOBODY)),
    Row("agenda/<int:pk>/registered/", "/agenda/{session}/registered/",
        V(liege=EVERYONE, missing=NOBODY)),
    Row("agenda/my-link/", "/agenda/my-link/", V(none=EVERYONE),
        post=V(none=ok_is(EVERYONE, 400))),
    Row("agenda/<int:pk>/calendar.ics", "/agenda/{session}/calendar.ics",
        V(liege=EVERYONE, namur=EVERYONE, missing=NOBODY)),
    Row("agenda/<int:pk>/poster.pdf", "/agenda/{session}/poster.pdf",
        V(liege=EVERYONE, missing=NOBODY)),
    Row("agenda/feeds/leader/<int:leader_id>.ics", "/agenda/feeds/leader/{leader}.ics",
        V(liege=EVERYONE, namur=EVERYONE, missing=NOBODY)),
    Row("agenda/feeds/<slug:city_slug>.ics", "/agenda/feeds/{city_slug}.ics",
        V(liege=EVERYONE, namur=EVERYONE, missing=NOBODY)),
    Row("agenda/feeds/<slug:city_slug>/<slug:theme>.ics", "/agenda/feeds/{city_slug}/cooking.ics",
        V(liege=EVERYONE, missing=NOBODY)),
    Row("agenda/programme/<slug:city_slug>/<int:year>-<int:month>.pdf",
        "/agenda/programme/{programme}.pdf", V(liege=EVERYONE, missing=NOBODY)),
    # A registration's private link: whoever holds it manages that registration.
    Row("agenda/r/<str:token>/", "/agenda/r/{registration_token}/",
        V(liege=EVERYONE, namur=EVERYONE, missing=NOBODY),
        post=V(liege=EVERYONE, missing=NOBODY)),
    # Feedback: the form shows; an empty answer is refused (400), an answer from a person
    # not marked present too (tests/security/test_input_hardening.py).
    Row("agenda/r/<str:token>/feedback/", "/agenda/r/{registration_token}/feedback/",
        V(liege=EVERYONE, missing=NOBODY), post=V(liege=ok_is(EVERYONE, 400), missing=NOBODY)),
    # From "My data": a participant withdraws their consent to be quoted, for their own
    # comment only (another's, the 404 of none).
    Row("agenda/my-quotes/<int:pk>/withdraw/", "/agenda/my-quotes/{feedback}/withdraw/",
        V(liege=SIGNED_IN_METHOD),
        post=V(liege=ok_is(PARTICIPANT_LIEGE, R), liege2=OWNER_NONE, namur=OWNER_NONE,
               missing=OWNER_NONE)),
    Row("agenda/lead/", "/agenda/lead/", V(none=SIGNED_IN)),
    Row("agenda/lead/<int:pk>/", "/agenda/lead/{session}/",
        V(liege=T(L, 404, 200, 404, 404, 404, 200, 404, 200, 404, 404, 404, 404),
          liege2=T(L, 404, 404, 404, 404, 404, 200, 404, 200, 404, 404, 404, 404),
          namur=T(L, 404, 404, 404, 404, 404, 404, 200, 200, 404, 404, 404, 404),
          missing=OWNER_NONE),
        post=V(liege=T(L, 404, R, 404, 404, 404, R, 404, R, 404, 404, 404, 404),
               namur=T(L, 404, 404, 404, 404, 404, 404, R, R, 404, 404, 404, 404))),
    Row("agenda/staff/", "/agenda/staff/", V(none=COORD)),
    Row("agenda/staff/new/", "/agenda/staff/new/", V(none=COORD), post=V(none=COORD)),
    Row("agenda/staff/<int:pk>/", "/agenda/staff/{session}/", coord_object(),
        post=V(liege=COORD_LIEGE, namur=COORD_NAMUR)),
    Row("agenda/staff/desk/", "/agenda/staff/desk/", V(none=COORD)),
    Row("agenda/staff/<int:pk>/desk/", "/agenda/staff/{session}/desk/", coord_object(),
        post=V(liege=COORD_LIEGE, namur=COORD_NAMUR)),
    # --- impact ---------------------------------------------------------------------------
    Row("impact/", "/impact/", V(none=COORD)),
    Row("impact/export.csv", "/impact/export.csv", V(none=COORD)),
    Row("impact/export.xlsx", "/impact/export.xlsx", V(none=COORD)),
    Row("impact/report.pdf", "/impact/report.pdf", V(none=COORD)),
    # Every city's figures side by side: the network admin only (a city's coordinator
    # sees their own cities on the dashboard).
    Row("impact/cities/", "/impact/cities/", V(none=NETWORK_ADMIN)),
    Row("impact/cities.csv", "/impact/cities.csv", V(none=NETWORK_ADMIN)),
    Row("impact/highlights/<slug:city_slug>/<int:year>/", "/impact/highlights/{city_slug}/{year}/",
        V(liege=COORD_LIEGE, namur=COORD_NAMUR, missing=COORD_MISSING),
        post=V(liege=COORD_LIEGE, namur=COORD_NAMUR)),
    # --- notifications --------------------------------------------------------------------
    Row("notifications/failed/", "/notifications/failed/", V(none=COORD)),
    Row("notifications/failed/<int:pk>/resend/", "/notifications/failed/{message}/resend/",
        V(liege=METHOD), post=V(liege=ok_is(COORD_LIEGE, R), namur=ok_is(COORD_NAMUR, R),
                                missing=COORD_MISSING)),
    # A person's own devices for push: signed-in people only, never anybody else's (the
    # subscription is the caller's, an unsubscribe forgets only the caller's devices).
    Row("notifications/push/subscribe/", "/notifications/push/subscribe/", V(none=METHOD),
        post=V(none=ok_is(SIGNED_IN, 400))),
    Row("notifications/push/unsubscribe/", "/notifications/push/unsubscribe/", V(none=METHOD),
        post=V(none=ok_is(SIGNED_IN, R))),
    Row("notifications/sms/status/", "/notifications/sms/status/", V(none=METHOD),
        post=V(none=T(403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403))),
    # --- planning -------------------------------------------------------------------------
    Row("planning/", "/planning/", V(none=COORD)),
    Row("planning/<int:pk>/", "/planning/{plan}/",
        V(liege=COORD_LIEGE, namur=COORD_NAMUR, missing=COORD_MISSING)),
    Row("planning/<int:pk>/accept/", "/planning/{plan}/accept/", V(liege=COORD_METHOD),
        post=V(liege=ok_is(COORD_LIEGE, R), namur=ok_is(COORD_NAMUR, R),
               missing=COORD_MISSING)),
    # --- autonomy ---------------------------------------------------------------------------
    # Coordinators decide who they trust in their own city (a network admin who does not
    # coordinate it neither); an empty or another city's decision is a 404.
    Row("autonomy/trust/", "/autonomy/trust/", V(none=COORD)),
    *[Row(f"autonomy/trust/{action}/", f"/autonomy/trust/{action}/", V(none=COORD_METHOD),
          post=V(none=ok_is(COORD, 404))) for action in ("grant", "revoke")],
    # A trusted leader's next session, for their own workshop only: anybody else (the
    # untrusted leader's workshop, the other city's) gets the 404 of no such workshop.
    Row("autonomy/workshops/<int:pk>/next/", "/autonomy/workshops/{workshop}/next/",
        V(liege=LEADER_LIEGE, liege2=OWNER_NONE, namur=OWNER_NONE, missing=OWNER_NONE),
        post=V(liege=ok_is(LEADER_LIEGE, 400), liege2=OWNER_NONE, namur=OWNER_NONE)),
    # --- federation: public ActivityPub documents (a browser is sent to the agenda page) ---
    Row(".well-known/webfinger", "/.well-known/webfinger?resource=acct:{city_slug}@testserver",
        V(liege=EVERYONE, namur=EVERYONE, missing=NOBODY)),
    Row(".well-known/nodeinfo", "/.well-known/nodeinfo", V(none=EVERYONE)),
    Row("nodeinfo/2.1", "/nodeinfo/2.1", V(none=EVERYONE)),
    *[Row(f"federation/<slug:city_slug>{tail}", f"/federation/{{city_slug}}{tail}",
          V(liege=ok_is(EVERYONE, R), namur=ok_is(EVERYONE, R), missing=NOBODY))
      for tail in ("", "/outbox", "/followers")],
    Row("federation/<slug:city_slug>/events/<int:session_id>",
        "/federation/{city_slug}/events/{session}",
        V(liege=ok_is(EVERYONE, R), namur=ok_is(EVERYONE, R), missing=NOBODY)),
    # Server to server: only signed requests (tests/federation); an unsigned POST is 401.
    Row("federation/<slug:city_slug>/inbox", "/federation/{city_slug}/inbox", V(liege=METHOD),
        post=V(liege=ok_is(EVERYONE, 401), missing=NOBODY)),
    # --- credentials ------------------------------------------------------------------------
    # Everybody signed in has their own portfolio (empty but for leaders); only their own
    # skills and badges open, another's the 404 of none.
    # (An empty POST, which a browser never sends for its CSRF token, shows the form.)
    Row("credentials/mine/", "/credentials/mine/", V(none=SIGNED_IN), post=V(none=SIGNED_IN)),
    # Which consented comments one's own portfolio quotes (an empty choice quotes none).
    Row("credentials/mine/quotes/", "/credentials/mine/quotes/", V(none=SIGNED_IN_METHOD),
        post=V(none=ok_is(SIGNED_IN, R))),
    Row("credentials/mine/skills/", "/credentials/mine/skills/", V(none=SIGNED_IN_METHOD),
        post=V(none=ok_is(SIGNED_IN, R))),
    Row("credentials/mine/skills/<int:pk>/remove/", "/credentials/mine/skills/{skill}/remove/",
        V(liege=SIGNED_IN_METHOD),
        post=V(liege=ok_is(LEADER_LIEGE, R), liege2=OWNER_NONE, namur=OWNER_NONE,
               missing=OWNER_NONE)),
    # The attestation states what one led: for leaders only.
    Row("credentials/mine/attestation.pdf", "/credentials/mine/attestation.pdf",
        V(none=SIGNED_IN_METHOD),
        post=V(none=T(L, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403))),
    *[Row(f"credentials/mine/<uuid:credential_id>.{ext}", f"/credentials/mine/{{credential}}.{ext}",
          V(liege=LEADER_LIEGE, liege2=OWNER_NONE, namur=OWNER_NONE, missing=OWNER_NONE))
      for ext in ("json", "png")],
    # Public, stable addresses inside the signed credentials.
    Row("credentials/issuer.json", "/credentials/issuer.json", V(none=EVERYONE)),
    Row("credentials/jwks.json", "/credentials/jwks.json", V(none=EVERYONE)),
    Row("credentials/keys/<str:thumbprint>.json", "/credentials/keys/{thumbprint}.json",
        V(liege=EVERYONE, missing=NOBODY)),
    Row("credentials/status/revocation", "/credentials/status/revocation", V(none=EVERYONE)),
    *[Row(f"credentials/achievements/<str:key>.{ext}",
          f"/credentials/achievements/{{achievement}}.{ext}", V(liege=EVERYONE, missing=NOBODY))
      for ext in ("json", "png")],
    # Whoever holds a credential's link (the leader hands it out) verifies it.
    Row("credentials/verify/<uuid:credential_id>/", "/credentials/verify/{credential}/",
        V(liege=EVERYONE, liege2=EVERYONE, namur=EVERYONE, missing=NOBODY),
        holder="credential"),
    # A portfolio opens to others only once its owner made it public (liege2's is not).
    Row("credentials/p/<str:slug>/", "/credentials/p/{portfolio_slug}/",
        V(liege=EVERYONE, liege2=NOBODY, namur=EVERYONE, missing=NOBODY),
        holder="portfolio_slug"),
    # Coordinators of the leader's city (with the second factor).
    Row("credentials/staff/skills/", "/credentials/staff/skills/", V(none=COORD)),
    Row("credentials/staff/skills/<int:pk>/decide/", "/credentials/staff/skills/{skill}/decide/",
        V(liege=COORD_METHOD),
        post=V(liege=ok_is(COORD_LIEGE, R), liege2=ok_is(COORD_LIEGE, R),
               namur=ok_is(COORD_NAMUR, R), missing=COORD_MISSING),
        body={"decision": "decline"}),
    Row("credentials/staff/leaders/<int:person_id>/", "/credentials/staff/leaders/{leader}/",
        coord_object(), post=coord_object()),
    Row("credentials/staff/credentials/<uuid:credential_id>/revoke/",
        "/credentials/staff/credentials/{credential}/revoke/", V(liege=COORD_METHOD),
        post=V(liege=ok_is(COORD_LIEGE, R), liege2=ok_is(COORD_LIEGE, R),
               namur=ok_is(COORD_NAMUR, R), missing=COORD_MISSING)),
    # --- employers --------------------------------------------------------------------------
    # Anybody may ask to join as an organisation (an empty form: 400).
    Row("employers/sign-up/", "/employers/sign-up/", V(none=EVERYONE),
        post=V(none=ok_is(EVERYONE, 400))),
    # One's own organisations (none but for the employer); a confirmation for an
    # organisation that did not name one answers 404.
    Row("employers/", "/employers/", V(none=SIGNED_IN), post=V(none=ok_is(SIGNED_IN, 404))),
    # Verified organisations only: everybody else is refused, the leader included.
    Row("employers/search/", "/employers/search/", V(none=EMPLOYER)),
    # A findable leader of the employer's city (liege); one who did not opt in (liege2)
    # and another city's (namur) are the 404 of none. An empty request form: 400.
    Row("employers/leaders/<uuid:listing_id>/", "/employers/leaders/{listing}/",
        V(liege=EMPLOYER, liege2=EMPLOYER_NONE, namur=EMPLOYER_NONE, missing=EMPLOYER_NONE),
        post=V(liege=ok_is(EMPLOYER, 400), liege2=EMPLOYER_NONE, namur=EMPLOYER_NONE)),
    # A request as its organisation reads it: its own only (marking a contact request
    # done is refused and sends back to the page).
    Row("employers/sent/<uuid:request_id>/", "/employers/sent/{contact_request}/",
        V(liege=EMPLOYER_OWN, liege2=EMPLOYER_OWN, namur=OWNER_NONE, missing=OWNER_NONE),
        post=V(liege=ok_is(EMPLOYER_OWN, R), namur=OWNER_NONE, missing=OWNER_NONE)),
    Row("employers/findable/", "/employers/findable/", V(none=SIGNED_IN_METHOD),
        post=V(none=ok_is(SIGNED_IN, R))),
    Row("employers/requests/", "/employers/requests/", V(none=SIGNED_IN)),
    # A request made to the leader: theirs only (an empty answer: 400).
    Row("employers/requests/<uuid:request_id>/", "/employers/requests/{contact_request}/",
        V(liege=LEADER_LIEGE, liege2=OWNER_NONE, namur=OWNER_NONE, missing=OWNER_NONE),
        post=V(liege=ok_is(LEADER_LIEGE, 400), liege2=OWNER_NONE, namur=OWNER_NONE)),
    # Coordinators of the organisation's city.
    Row("employers/staff/", "/employers/staff/", V(none=COORD),
        post=V(none=ok_is(COORD, 400))),
    Row("employers/staff/<int:pk>/", "/employers/staff/{employer}/",
        V(liege=COORD_LIEGE, namur=COORD_NAMUR, missing=COORD_MISSING),
        post=V(liege=ok_is(COORD_LIEGE, 400), namur=ok_is(COORD_NAMUR, 400),
               missing=COORD_MISSING)),
    # --- the API --------------------------------------------------------------------------
    Row("api/v1/openapi.json", "/api/v1/openapi.json", V(none=EVERYONE)),
    Row("api/v1/docs", "/api/v1/docs", V(none=EVERYONE)),
    Row("api/v1/", "/api/v1/", V(none=NOBODY)),
    Row("api/v1/venues/bookings", "/api/v1/venues/bookings", V(none=METHOD), json=True,
        post=V(none=T(401, 401, 401, 401, 401, 401, 422, 422, 422, 401, 401, 401, 401))),
    Row("api/v1/venues/bookings/<booking_id>/cancel", "/api/v1/venues/bookings/{booking}/cancel",
        V(liege=METHOD), json=True,
        post=V(liege=T(401, 401, 401, 401, 401, 401, 200, 404, 200, 401, 401, 401, 401),
               namur=T(401, 401, 401, 401, 401, 401, 404, 200, 200, 401, 401, 401, 401),
               missing=T(401, 401, 401, 401, 401, 401, 404, 404, 404, 401, 401, 401, 401))),
    Row("api/v1/sessions", "/api/v1/sessions", V(none=EVERYONE)),
    Row("api/v1/sessions/<session_id>", "/api/v1/sessions/{session}",
        V(liege=EVERYONE, namur=EVERYONE, missing=NOBODY)),
    Row("api/v1/sessions/<session_id>/registrations", "/api/v1/sessions/{session}/registrations",
        V(liege=METHOD), json=True,
        post=V(liege=ok_is(EVERYONE, 422), missing=ok_is(EVERYONE, 422))),
    # The embeddable widget: public, read from partners' websites.
    Row("api/v1/sessions/widget", "/api/v1/sessions/widget", V(none=EVERYONE)),
    Row("api/v1/credentials/issuer", "/api/v1/credentials/issuer", V(none=EVERYONE)),
    Row("api/v1/credentials/jwks", "/api/v1/credentials/jwks", V(none=EVERYONE)),
    Row("api/v1/credentials/status/revocation", "/api/v1/credentials/status/revocation",
        V(none=EVERYONE)),
    Row("api/v1/credentials/verify/<credential_id>", "/api/v1/credentials/verify/{credential}",
        V(liege=EVERYONE, liege2=EVERYONE, namur=EVERYONE, missing=NOBODY),
        holder="credential"),
    # One's own credentials, whoever one is; nobody else's (the world's only badges are
    # leaders': the participant's list is empty).
    Row("api/v1/credentials/mine", "/api/v1/credentials/mine",
        V(none=T(401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200))),
    # --- languages ------------------------------------------------------------------------
    Row("i18n/setlang/", "/i18n/setlang/", V(none=ok_is(EVERYONE, R)),
        post=V(none=ok_is(EVERYONE, R)), body={"language": "en", "next": "/"}),
    Row("jsi18n/", "/jsi18n/", V(none=EVERYONE)),
    Row("^media/(?P<path>.+)$", "/media/nothing-here.jpg", V(none=NOBODY)),
    # --- the admin site -------------------------------------------------------------------
    Row("admin/login/", "/admin/login/", V(none=ok_is(EVERYONE, S))),
    Row("admin/", "/admin/", V(none=ADMIN)),
    Row("admin/logout/", "/admin/logout/", V(none=T(R, R, R, R, R, R, R, R, 405, R, R, R, R))),
    Row("admin/password_change/", "/admin/password_change/", V(none=ADMIN)),
    Row("admin/password_change/done/", "/admin/password_change/done/", V(none=ADMIN)),
    Row("admin/autocomplete/", "/admin/autocomplete/", V(none=ok_is(ADMIN, 403))),
    Row("admin/jsi18n/", "/admin/jsi18n/", V(none=ADMIN)),
    Row("admin/r/<path:content_type_id>/<path:object_id>/", "/admin/r/1/1/",
        V(none=ok_is(ADMIN, 404))),
    Row("admin/^(?P<app_label>auth|cities|venues|otp_totp|otp_static|django_tasks_database"
        "|accounts|notifications|proposals|agenda|credentials)/$", "/admin/agenda/", V(none=ADMIN)),
    Row("admin/(?P<url>.*)$", "/admin/no-such-page/", V(none=ok_is(ADMIN, 404))),
    Row("admin/accounts/user/<id>/password/",
        "/admin/accounts/user/{admin:accounts.user}/password/",
        V(liege=ADMIN_REFUSED)),
    Row("admin/otp_totp/totpdevice/<int:pk>/config/",
        "/admin/otp_totp/totpdevice/{admin:otp_totp.totpdevice}/config/", V(liege=ADMIN_REFUSED)),
    Row("admin/otp_totp/totpdevice/<int:pk>/qrcode/",
        "/admin/otp_totp/totpdevice/{admin:otp_totp.totpdevice}/qrcode/", V(liege=ADMIN_REFUSED)),
]

# Models on the admin site. Settings (no people in them) can be changed there; every
# other model is read-only: its pages open, adding and deleting are refused.
ADMIN_SETTINGS = ["auth.group", "cities.city", "venues.venue", "venues.room",
                  "venues.closure", "venues.material"]
ADMIN_READ_ONLY = ["otp_totp.totpdevice", "otp_static.staticdevice",
                   "django_tasks_database.dbtaskresult", "accounts.user",
                   "notifications.message", "proposals.proposal", "proposals.workshop",
                   "proposals.note", "venues.partner", "venues.booking", "venues.materialloan",
                   "agenda.session", "agenda.feedback", "credentials.credential",
                   "credentials.issuerkey", "credentials.leaderskill", "credentials.portfolio"]
for _label in ADMIN_SETTINGS + ADMIN_READ_ONLY:
    _url = "admin/" + _label.replace(".", "/") + "/"
    _editable = _label in ADMIN_SETTINGS
    # A row's pages; the test world has no task result (tasks run at once in tests), and
    # the admin sends back to its index for an object that does not exist.
    _object_page = ADMIN_MOVED if _label == "django_tasks_database.dbtaskresult" else ADMIN
    _obj = f"{{admin:{_label}}}"
    ROWS += [
        Row(_url, "/" + _url, V(none=ADMIN)),
        Row(_url + "add/", f"/{_url}add/", V(none=ADMIN if _editable else ADMIN_REFUSED)),
        Row(_url + "<path:object_id>/history/", f"/{_url}{_obj}/history/",
            V(liege=_object_page)),
        Row(_url + "<path:object_id>/delete/", f"/{_url}{_obj}/delete/",
            V(liege=ADMIN if _editable else ADMIN_REFUSED)),
        Row(_url + "<path:object_id>/change/", f"/{_url}{_obj}/change/",
            V(liege=_object_page)),
        Row(_url + "<path:object_id>/", f"/{_url}{_obj}/", V(liege=ADMIN_MOVED)),
    ]

# Requests whose BODY names another person's or the other city's object, on a URL of
# one's own: {kind@variant} in a body is that object's id. Same answers as above, with
# the one that counts: the action is refused (a form answered again, 404, the network
# admin's 400 "the room is in another city than the workshop"), never done (a redirect,
# 201).
# A Tuesday afternoon two months ahead: the rooms of matrix_world.py are open then.
_DAY = date.today() + timedelta(days=60)
_DAY += timedelta(days=(1 - _DAY.weekday()) % 7)
FUTURE_START, FUTURE_END = f"{_DAY}T15:00", f"{_DAY}T17:00"
FORM_START, FORM_END = f"{_DAY} 15:00", f"{_DAY} 17:00"
ATTACKS = [
    # A leader marks present a registration of another session (their peer's, Namur's).
    *[Row("agenda/lead/<int:pk>/", "/agenda/lead/{session}/", get={},
          post=V(liege=T(L, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
          body={"action": "mark", "registration": f"{{registration@{other}}}", "attended": "1"})
      for other in ("liege2", "namur")],
    # The same done right (the leader's own registration, a Liège workshop) works: the
    # bodies above are refused for what they name, not for their form.
    Row("agenda/lead/<int:pk>/", "/agenda/lead/{session}/", get={},
        post=V(liege=T(L, 404, R, 404, 404, 404, R, 404, R, 404, 404, 404, 404)),
        body={"action": "mark", "registration": "{registration}", "attended": "1"}),
    Row("venues/rooms/<int:room_pk>/book/", "/venues/rooms/{room}/book/", get={},
        post=V(liege=ok_is(COORD_LIEGE, R)),
        body={"workshop": "{workshop@liege}", "starts_at": FORM_START,
              "ends_at": FORM_END}),
    Row("api/v1/venues/bookings", "/api/v1/venues/bookings", get={}, json=True,
        post=V(none=T(401, 401, 401, 401, 401, 401, 201, 404, 201, 401, 401, 401, 401)),
        body={"room_id": "{room@liege}", "workshop_id": "{workshop@liege}",
              "starts_at": FUTURE_START, "ends_at": FUTURE_END}),
    Row("venues/materials/<int:pk>/lend/", "/venues/materials/{material}/lend/", get={},
        post=V(liege=ok_is(COORD_LIEGE, R)),
        body={"workshop": "{workshop@liege}", "quantity": "1",
              "starts_at": FORM_START, "ends_at": FORM_END}),
    # A Liège room booked for a Namur workshop, by the form and by the API.
    Row("venues/rooms/<int:room_pk>/book/", "/venues/rooms/{room}/book/", get={},
        post=V(liege=COORD_LIEGE),
        body={"workshop": "{workshop@namur}", "starts_at": FORM_START,
              "ends_at": FORM_END}),
    Row("api/v1/venues/bookings", "/api/v1/venues/bookings", get={}, json=True,
        post=V(none=T(401, 401, 401, 401, 401, 401, 404, 404, 400, 401, 401, 401, 401)),
        body={"room_id": "{room@liege}", "workshop_id": "{workshop@namur}",
              "starts_at": FUTURE_START, "ends_at": FUTURE_END}),
    # Liège material lent to a Namur workshop.
    Row("venues/materials/<int:pk>/lend/", "/venues/materials/{material}/lend/", get={},
        post=V(liege=COORD_LIEGE),
        body={"workshop": "{workshop@namur}", "quantity": "1",
              "starts_at": FORM_START, "ends_at": FORM_END}),
    # Trust decided for the city one coordinates only: Liège's leader by Liège's
    # coordinator (a redirect, told whether it worked), Namur's by Namur's; never by the
    # other city's coordinator nor by a network admin who coordinates no city (404).
    Row("autonomy/trust/grant/", "/autonomy/trust/grant/", get={},
        post=V(none=T(S, 403, 403, 403, 403, 403, R, 404, 404, S, S, 403, S)),
        body={"leader": "{leader@liege2}", "city": "{city@liege}", "reason": "bravo"}),
    Row("autonomy/trust/grant/", "/autonomy/trust/grant/", get={},
        post=V(none=T(S, 403, 403, 403, 403, 403, 404, R, 404, S, S, 403, S)),
        body={"leader": "{leader@namur}", "city": "{city@namur}", "reason": "bravo"}),
    Row("autonomy/trust/revoke/", "/autonomy/trust/revoke/", get={},
        post=V(none=T(S, 403, 403, 403, 403, 403, R, 404, 404, S, S, 403, S)),
        body={"leader": "{leader@liege}", "city": "{city@liege}", "reason": "absent"}),
    # The trusted leader asks for a room of the other city for their own workshop: the
    # time is refused (409, the page again), never booked.
    Row("autonomy/workshops/<int:pk>/next/", "/autonomy/workshops/{workshop}/next/", get={},
        post=V(liege=ok_is(LEADER_LIEGE, 409)),
        body={"slot": f"{{room@namur}}|{FUTURE_START}:00+01:00"}),
]
