"""Upstream contributions: logged and changed from a mission, the justification for giving
nothing back, and the public page of what the network gave back (with its CSV)."""

from django.urls import URLPattern, path

from guichet.missions.views import contributions as views

urlpatterns: list[URLPattern] = [
    path(
        "espace/missions/<int:pk>/contributions/ajouter/",
        views.contribution_add,
        name="contribution_add",
    ),
    path(
        "espace/missions/<int:pk>/contributions/<int:contribution>/",
        views.contribution_edit,
        name="contribution_edit",
    ),
    path(
        "espace/missions/<int:pk>/justification/",
        views.justification,
        name="justification",
    ),
    path("rendu/", views.given_back_page, name="given_back"),
    path("rendu/contributions.csv", views.given_back_csv, name="given_back_csv"),
]
