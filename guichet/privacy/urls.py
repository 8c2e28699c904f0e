from django.urls import path

from guichet.privacy import views

app_name = "privacy"
urlpatterns = [
    path("espace/mes-donnees/", views.my_data, name="my_data"),
    path("espace/mes-donnees/export.json", views.export, name="export"),
    path("espace/mes-donnees/effacer/", views.erase, name="erase"),
]
