from django.urls import path

from guichet.network.views import catalogue, charter, directory, exports, space

app_name = "network"
urlpatterns = [
    path("annuaire/", directory.directory, name="directory"),
    path("annuaire/<slug:slug>/", directory.organisation_profile, name="organisation"),
    path("logiciels/", catalogue.software_list, name="software_list"),
    path("logiciels/<slug:slug>/", catalogue.software_detail, name="software"),
    path("donnees-ouvertes/<slug:dataset>.<slug:fmt>", exports.export, name="export"),
    path("charte/", charter.charter, name="charter"),
    path("charte/version-<int:version>/", charter.charter, name="charter_version"),
    path("espace/organisations/<slug:slug>/", space.organisation_space, name="organisation_space"),
]
