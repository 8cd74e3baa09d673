from django.urls import path

from . import views

app_name = "credentials"
urlpatterns = [
    # The leader's own
    path("mine/", views.portfolio, name="portfolio"),
    path("mine/quotes/", views.quotes_update, name="quotes_update"),
    path("mine/skills/", views.skill_add, name="skill_add"),
    path("mine/skills/<int:pk>/remove/", views.skill_remove, name="skill_remove"),
    path("mine/attestation.pdf", views.attestation, name="attestation"),
    path("mine/<uuid:credential_id>.json", views.credential_json, name="credential_json"),
    path("mine/<uuid:credential_id>.png", views.credential_png, name="credential_png"),
    # Public, stable addresses (they are inside signed credentials: never move them)
    path("issuer.json", views.issuer, name="issuer"),
    path("jwks.json", views.jwks, name="jwks"),
    path("keys/<str:thumbprint>.json", views.key, name="key"),
    path("status/revocation", views.status_list, name="status_list"),
    path("achievements/<str:key>.json", views.achievement, name="achievement"),
    path("achievements/<str:key>.png", views.achievement_image, name="achievement_image"),
    path("verify/<uuid:credential_id>/", views.verify, name="verify"),
    path("p/<str:slug>/", views.public_portfolio, name="public_portfolio"),
    # Coordinators
    path("staff/skills/", views.staff_skills, name="staff_skills"),
    path("staff/skills/<int:pk>/decide/", views.staff_skill_decide, name="staff_skill_decide"),
    path("staff/leaders/<int:person_id>/", views.staff_leader, name="staff_leader"),
    path("staff/credentials/<uuid:credential_id>/revoke/", views.staff_revoke,
         name="staff_revoke"),
]
