"""The client evaluations' addresses (app "missions")."""

from django.urls import URLPattern, path

from guichet.missions.views import evaluations as views

urlpatterns: list[URLPattern] = [
    path("mission/evaluation/<str:token>/", views.evaluation_page, name="evaluation"),
    path(
        "espace/missions/<int:mission_pk>/evaluations/<int:pk>/repondre/",
        views.evaluation_reply,
        name="evaluation_reply",
    ),
]
