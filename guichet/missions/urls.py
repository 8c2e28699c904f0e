"""The missions' addresses: each area keeps its own list (see urls_*.py)."""

from django.urls import URLPattern

from guichet.missions import urls_contributions, urls_evaluations, urls_missions

app_name = "missions"
urlpatterns: list[URLPattern] = [
    *urls_missions.urlpatterns,
    *urls_contributions.urlpatterns,
    *urls_evaluations.urlpatterns,
]
