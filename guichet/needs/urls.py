from django.urls import URLPattern, path

from guichet.needs.views import client as client_views
from guichet.needs.views import consortium as consortium_views
from guichet.needs.views import coordination as coordination_views
from guichet.needs.views import erasure as erasure_views
from guichet.needs.views import intake as intake_views
from guichet.needs.views import invitations as invitation_views
from guichet.needs.views import matching as matching_views
from guichet.needs.views import member as member_views
from guichet.needs.views import member_consortium as member_consortium_views
from guichet.needs.views import shortlist as shortlist_views

app_name = "needs"
urlpatterns: list[URLPattern] = [
    # The client's side: the public form, the emailed confirmation, the private follow-up.
    path("demande/", intake_views.request_new, name="request_new"),
    path("demande/envoyee/", intake_views.request_sent, name="request_sent"),
    path(
        "demande/confirmer/<str:token>/",
        intake_views.request_confirm_page,
        name="request_confirm",
    ),
    path("demande/suivi/<str:token>/", client_views.request_follow, name="request_follow"),
    path(
        "demande/suivi/<str:token>/documents/<int:pk>/",
        client_views.request_document,
        name="request_document",
    ),
    path(
        "demande/suivi/<str:token>/choisir/<int:pk>/",
        shortlist_views.request_choose,
        name="request_choose",
    ),
    path(
        "demande/suivi/<str:token>/lots/<int:lot>/plus-de-candidats/",
        shortlist_views.request_ask_more,
        name="request_ask_more",
    ),
    path(
        "demande/suivi/<str:token>/effacer/",
        erasure_views.request_erase,
        name="request_erase",
    ),
    path("demande/donnees-effacees/", erasure_views.request_erased, name="request_erased"),
    # A provider of the client's own: invited from the follow-up page, answering by its link.
    path(
        "demande/suivi/<str:token>/lots/<int:lot>/inviter/",
        invitation_views.request_invite,
        name="request_invite",
    ),
    path("invitation/merci/", invitation_views.invitation_thanks, name="invitation_thanks"),
    path("invitation/<str:token>/", invitation_views.invitation_page, name="invitation"),
    path("espace/demandes/", client_views.my_requests, name="my_requests"),
    # Qualification by coordinators: requests, their lots, the thread, "not the right fit".
    path(
        "coordination/demandes/",
        coordination_views.requests_list,
        name="coordination_requests",
    ),
    path(
        "coordination/demandes/<int:pk>/",
        coordination_views.request_detail,
        name="coordination_request",
    ),
    path(
        "coordination/demandes/<int:pk>/client/",
        coordination_views.request_client,
        name="coordination_request_client",
    ),
    path(
        "coordination/demandes/<int:pk>/appel-d-offres/",
        coordination_views.request_tender,
        name="coordination_request_tender",
    ),
    path(
        "coordination/demandes/<int:pk>/messages/",
        coordination_views.request_message,
        name="coordination_request_message",
    ),
    path(
        "coordination/demandes/<int:pk>/cloture/",
        coordination_views.request_close,
        name="coordination_request_close",
    ),
    path(
        "coordination/demandes/<int:pk>/documents/<int:doc>/",
        coordination_views.document,
        name="coordination_document",
    ),
    path(
        "coordination/demandes/<int:pk>/lots/ajouter/",
        coordination_views.lot_add,
        name="coordination_lot_add",
    ),
    path(
        "coordination/demandes/<int:pk>/lots/<int:lot>/",
        coordination_views.lot_edit,
        name="coordination_lot_edit",
    ),
    path(
        "coordination/demandes/<int:pk>/lots/<int:lot>/supprimer/",
        coordination_views.lot_remove,
        name="coordination_lot_delete",
    ),
    # A multi-lot request's consortium: proposed from the request's page, then adjusted.
    path(
        "coordination/demandes/<int:pk>/groupement/proposer/",
        consortium_views.propose,
        name="coordination_consortium_propose",
    ),
    path(
        "coordination/demandes/<int:pk>/groupement/",
        consortium_views.consortium_page,
        name="coordination_consortium",
    ),
    path(
        "coordination/demandes/<int:pk>/groupement/forme/",
        consortium_views.consortium_kind,
        name="coordination_consortium_kind",
    ),
    path(
        "coordination/demandes/<int:pk>/groupement/membres/<int:member>/",
        consortium_views.consortium_member,
        name="coordination_consortium_member",
    ),
    path(
        "coordination/demandes/<int:pk>/groupement/membres/<int:member>/mandataire/",
        consortium_views.consortium_lead,
        name="coordination_consortium_lead",
    ),
    path(
        "coordination/demandes/<int:pk>/groupement/sous-traitants/ajouter/",
        consortium_views.consortium_subcontractor_new,
        name="coordination_consortium_subcontractor_add",
    ),
    path(
        "coordination/demandes/<int:pk>/groupement/sous-traitants/<int:member>/retirer/",
        consortium_views.consortium_subcontractor_delete,
        name="coordination_consortium_subcontractor_remove",
    ),
    path(
        "coordination/demandes/<int:pk>/groupement/reponse.odt",
        consortium_views.consortium_odt,
        name="coordination_consortium_odt",
    ),
    path(
        "coordination/demandes/<int:pk>/groupement/reponse.pdf",
        consortium_views.consortium_pdf,
        name="coordination_consortium_pdf",
    ),
    # A member's side: the lots its organisation is proposed for.
    path("espace/propositions/", member_views.entries, name="member_entries"),
    path("espace/propositions/<int:pk>/", member_views.entry, name="member_entry"),
    # The consortium its organisation is in: the lead handed over, its own subcontractors.
    path("espace/groupements/<int:pk>/", member_consortium_views.page, name="member_consortium"),
    path(
        "espace/groupements/<int:pk>/membres/<int:member>/mandataire/",
        member_consortium_views.hand_over,
        name="member_consortium_lead",
    ),
    path(
        "espace/groupements/<int:pk>/sous-traitants/ajouter/",
        member_consortium_views.subcontractor_new,
        name="member_consortium_subcontractor_add",
    ),
    path(
        "espace/groupements/<int:pk>/sous-traitants/<int:member>/retirer/",
        member_consortium_views.subcontractor_delete,
        name="member_consortium_subcontractor_remove",
    ),
    # Matching in the open: a lot's ranking (coordinators), the rules in force and how work
    # is spread (public), and new rules (staff).
    path(
        "coordination/lots/<int:pk>/classement/",
        matching_views.lot_ranking,
        name="coordination_lot_ranking",
    ),
    # Shortlists (coordinators): on a lot's ranking, and sent from the request's page.
    path(
        "coordination/lots/<int:pk>/liste-restreinte/ajouter/",
        shortlist_views.shortlist_add_view,
        name="coordination_shortlist_add",
    ),
    path(
        "coordination/lots/<int:pk>/liste-restreinte/proposer/",
        shortlist_views.shortlist_propose_view,
        name="coordination_shortlist_propose",
    ),
    path(
        "coordination/lots/<int:pk>/liste-restreinte/<int:entry>/retirer/",
        shortlist_views.shortlist_remove_view,
        name="coordination_shortlist_remove",
    ),
    path(
        "coordination/lots/<int:pk>/liste-restreinte/<int:entry>/note/",
        shortlist_views.shortlist_note_view,
        name="coordination_shortlist_note",
    ),
    path(
        "coordination/demandes/<int:pk>/listes-restreintes/envoyer/",
        shortlist_views.shortlist_send_view,
        name="coordination_shortlist_send",
    ),
    path("comment-nous-proposons/", matching_views.matching_rules, name="matching_rules"),
    path(
        "comment-nous-proposons/version-<int:version>/",
        matching_views.matching_rules,
        name="matching_rules_version",
    ),
    path(
        "coordination/regles-de-mise-en-relation/",
        matching_views.matching_rules_new,
        name="matching_rules_new",
    ),
    path("repartition-du-travail/", matching_views.concentration, name="concentration"),
    path(
        "repartition-du-travail.csv",
        matching_views.concentration_csv,
        name="concentration_csv",
    ),
]
