from django.urls import path

from guichet.network import views

app_name = "network"
urlpatterns = [
    path("espace/organisations/<slug:slug>/", views.organisation_space, name="organisation_space"),
]
