from django.urls import path

from guichet.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("mentions-legales/", views.legal, name="legal"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("code-source/", views.source, name="source"),
    path("donnees-ouvertes/", views.open_data, name="open_data"),
    path("espace/", views.dashboard, name="dashboard"),
    path("coordination/", views.coordination, name="coordination"),
]
