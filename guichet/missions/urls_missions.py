from django.urls import URLPattern, path

from guichet.missions.views import missions as views

urlpatterns: list[URLPattern] = [
    path("espace/missions/", views.missions_list, name="list"),
    path("coordination/missions/demarrer/", views.mission_start, name="start"),
    path("espace/missions/<int:pk>/", views.mission_detail, name="mission"),
    path(
        "espace/missions/<int:pk>/documents/<int:doc>/",
        views.mission_document,
        name="mission_document",
    ),
]
