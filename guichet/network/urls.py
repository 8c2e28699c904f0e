from django.urls import path

from guichet.network.views import admission as admission_views
from guichet.network.views import catalogue, charter, directory, exports, space
from guichet.network.views import coordination_catalogue as catalogue_views
from guichet.network.views import coordination_charter as charter_views
from guichet.network.views import profiles as profile_views

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
    # Admission by peers: applying, following, evaluating, coordinating.
    path("adhesion/", admission_views.apply, name="apply"),
    path("adhesion/<int:pk>/", admission_views.application_status, name="application"),
    path(
        "adhesion/<int:pk>/retrait/",
        admission_views.application_withdraw_own,
        name="application_withdraw",
    ),
    path("adhesion/evaluations/<int:pk>/", admission_views.evaluation, name="evaluation"),
    path(
        "espace/organisations/<slug:slug>/signer-la-charte/",
        admission_views.organisation_charter_sign,
        name="organisation_charter_sign",
    ),
    path(
        "coordination/adhesions/",
        admission_views.coordination_list,
        name="coordination_applications",
    ),
    path(
        "coordination/adhesions/ouvrir/",
        admission_views.coordination_open,
        name="coordination_open",
    ),
    path(
        "coordination/adhesions/<int:pk>/",
        admission_views.coordination_application,
        name="coordination_application",
    ),
    path(
        "coordination/adhesions/<int:pk>/evaluateurs/",
        admission_views.coordination_assign,
        name="coordination_assign",
    ),
    # Puts the application to the associates' decision (coordinators no longer decide).
    path(
        "coordination/adhesions/<int:pk>/decision/",
        admission_views.coordination_decide,
        name="coordination_decide",
    ),
    path(
        "coordination/adhesions/<int:pk>/retrait/",
        admission_views.coordination_withdraw,
        name="coordination_withdraw",
    ),
    path(
        "coordination/reevaluations/",
        admission_views.coordination_reevaluations,
        name="coordination_reevaluations",
    ),
    # Editing an organisation (its managers, coordinators): profile, people, software.
    path(
        "espace/organisations/<slug:slug>/profil/",
        profile_views.profile_edit,
        name="organisation_edit",
    ),
    path(
        "espace/organisations/<slug:slug>/profil/personnes/",
        profile_views.person_add,
        name="organisation_person_add",
    ),
    path(
        "espace/organisations/<slug:slug>/profil/personnes/<int:pk>/retirer/",
        profile_views.person_remove,
        name="organisation_person_remove",
    ),
    path(
        "espace/organisations/<slug:slug>/profil/personnes/<int:pk>/role/",
        profile_views.person_role,
        name="organisation_person_role",
    ),
    path(
        "espace/organisations/<slug:slug>/logiciels/",
        profile_views.links,
        name="organisation_links",
    ),
    path(
        "espace/organisations/<slug:slug>/logiciels/<int:pk>/",
        profile_views.link_edit,
        name="organisation_link",
    ),
    path(
        "espace/organisations/<slug:slug>/logiciels/<int:pk>/retirer/",
        profile_views.link_remove,
        name="organisation_link_remove",
    ),
    path(
        "espace/organisations/<slug:slug>/logiciels/<int:pk>/verifier/",
        profile_views.link_verify_view,
        name="organisation_link_verify",
    ),
    # The catalogue, kept by coordinators.
    path(
        "coordination/logiciels/",
        catalogue_views.software_list,
        name="coordination_software_list",
    ),
    path(
        "coordination/logiciels/ajouter/",
        catalogue_views.software_add,
        name="coordination_software_add",
    ),
    path(
        "coordination/logiciels/<slug:slug>/",
        catalogue_views.software_edit,
        name="coordination_software_edit",
    ),
    path(
        "coordination/logiciels/<slug:slug>/fusionner/",
        catalogue_views.software_merge_view,
        name="coordination_software_merge",
    ),
    # The charter's versions, kept by coordinators: one draft at a time, put to the associates'
    # decision, which publishes it.
    path(
        "coordination/charte/",
        charter_views.charter_versions_view,
        name="coordination_charter",
    ),
    path(
        "coordination/charte/brouillon/<int:version>/",
        charter_views.charter_draft_view,
        name="coordination_charter_draft",
    ),
    # Puts the draft to the associates' decision, which publishes it when adopted.
    path(
        "coordination/charte/brouillon/<int:version>/decision/",
        charter_views.charter_put_to_decision_view,
        name="coordination_charter_publish",
    ),
    path(
        "coordination/charte/brouillon/<int:version>/abandonner/",
        charter_views.charter_discard_view,
        name="coordination_charter_discard",
    ),
]
