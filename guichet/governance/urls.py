"""Governance's addresses: the associates' pages under espace/, the public log under decisions/."""

from django.urls import URLPattern, path

from guichet.governance.views import log, proposals, proxies

app_name = "governance"
urlpatterns: list[URLPattern] = [
    path("espace/decisions/", proposals.proposals_list, name="proposals"),
    path("espace/decisions/nouvelle/", proposals.proposal_new, name="proposal_new"),
    path("espace/decisions/<str:reference>/", proposals.proposal_detail, name="proposal"),
    path(
        "espace/decisions/<str:reference>/amender/",
        proposals.proposal_amend,
        name="proposal_amend",
    ),
    path(
        "espace/decisions/<str:reference>/versions/<int:number>/",
        proposals.version_detail,
        name="version",
    ),
    path(
        "espace/decisions/<str:reference>/pieces/<int:pk>/",
        proposals.attachment_download,
        name="attachment",
    ),
    path("espace/procurations/", proxies.proxies_page, name="proxies"),
    path("decisions/", log.log_list, name="log"),
    path("decisions/comment-nous-decidons/", log.how_we_decide, name="rules"),
    path("decisions/flux.rss", log.RssFeed(), name="feed_rss"),
    path("decisions/flux.atom", log.AtomFeed(), name="feed_atom"),
    path("decisions/registre.csv", log.export_csv, name="export_csv"),
    path("decisions/registre.ods", log.export_ods, name="export_ods"),
    path("decisions/<str:reference>/", log.log_entry, name="log_entry"),
]
