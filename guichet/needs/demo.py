"""Demo requests at every stage of the guichet: unconfirmed, to qualify, qualified into lots
(ready to match), a tender, and one answered "open source is not the right fit".

Places are the demo's communes; software names are the SILL's. Idempotent: each request is
found by its title.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from guichet.accounts.models import User
from guichet.core.demo_data import DemoLogin
from guichet.needs.models import (
    BudgetRange,
    ClientKind,
    Consortium,
    ConsortiumRole,
    Lot,
    MemberResponse,
    Request,
    RequestMessage,
    RequestStatus,
    ServiceKind,
    ShortlistEntry,
)
from guichet.needs.services.consortia import (
    ConsortiumError,
    consortium_member_update,
    consortium_propose,
    consortium_subcontractor_add,
)
from guichet.needs.services.links import follow_nonce_new
from guichet.needs.services.matching import lot_rank
from guichet.needs.services.shortlists import member_respond, shortlist_propose, shortlist_send
from guichet.network.models import Commune, Organisation, Software

QUALIFIED_TITLE = "Parc informatique et partage de fichiers des services métropolitains"
CONSORTIUM_TITLE = "Parc informatique et partage de fichiers du syndicat des eaux"
SHORTLISTED_TITLE = "Hébergement et maintenance de Moodle pour l'université"


def _software(*names: str) -> list[Software]:
    # SILL names vary in case ("NextCloud", "Nextcloud"): take the first of each, by id.
    found = [Software.objects.filter(name__iexact=name).order_by("pk").first() for name in names]
    return [item for item in found if item is not None]


def _request(title: str, **fields: Any) -> tuple[Request, bool]:
    software = fields.pop("software", [])
    request, created = Request.objects.get_or_create(title=title, defaults=fields)
    if created:
        follow_nonce_new(request)
        request.save(update_fields=["follow_nonce"])
        request.software.set(software)
    return request, created


def load() -> list[DemoLogin]:
    now = timezone.now()
    communes = {
        c.insee_code: c
        for c in Commune.objects.filter(
            insee_code__in=["69123", "39475", "33063", "84007", "44109"]
        )
    }
    organisations = {
        o.slug: o
        for o in Organisation.objects.filter(
            slug__in=["ville-de-saint-aubin", "metropole-du-confluent", "universite-du-littoral"]
        )
    }
    client = User.objects.filter(email="client@demo.guichet.test").first()

    qualified, created = _request(
        QUALIFIED_TITLE,
        status=RequestStatus.QUALIFIED,
        client_name="Métropole du Confluent",
        client_kind=ClientKind.PUBLIC_BODY,
        client_organisation=organisations.get("metropole-du-confluent"),
        contact_name="Karim Benali",
        contact_email="dsi@metropole-du-confluent.example",
        description=(
            "Nous voulons reprendre en main la gestion de notre parc (3 000 postes) avec un "
            "outil libre, et offrir aux agents un partage de fichiers hébergé en France."
        ),
        software=_software("GLPI", "Nextcloud"),
        services=[ServiceKind.INTEGRATION, ServiceKind.TRAINING, ServiceKind.HOSTING],
        commune=communes["69123"],
        on_site=True,
        budget=BudgetRange.FROM_40K,
        start_date=(now + timedelta(days=45)).date(),
        end_date=(now + timedelta(days=225)).date(),
        confirmed_at=now - timedelta(days=6),
    )
    if created:
        glpi = Lot.objects.create(
            request=qualified,
            position=1,
            title="Gestion de parc avec GLPI",
            description="Installation, reprise de l'inventaire, formation des techniciens.",
            skills="GLPI, inventaire, formation",
            cpv_code="72253200",
            person_days=Decimal("40"),
            on_site=True,
            commune=communes["69123"],
            start_date=(now + timedelta(days=45)).date(),
            deadline=(now + timedelta(days=165)).date(),
        )
        glpi.software.set(_software("GLPI"))
        files = Lot.objects.create(
            request=qualified,
            position=2,
            title="Partage de fichiers Nextcloud hébergé",
            description="Hébergement en France, migration des partages, accompagnement.",
            skills="Nextcloud, hébergement, migration",
            cpv_code="72415000",
            person_days=Decimal("25"),
            on_site=False,
            start_date=(now + timedelta(days=60)).date(),
            deadline=(now + timedelta(days=225)).date(),
        )
        files.software.set(_software("Nextcloud"))

    training, created = _request(
        "Formation des agents à LibreOffice",
        status=RequestStatus.SUBMITTED,
        client_name="Ville de Saint-Aubin",
        client_kind=ClientKind.PUBLIC_BODY,
        client_organisation=organisations.get("ville-de-saint-aubin"),
        client_user=client,
        contact_name="Martine Lefèvre",
        contact_email="client@demo.guichet.test",
        description=(
            "Quarante agents passent à LibreOffice en janvier : nous cherchons des sessions "
            "de formation sur place, par groupes de huit."
        ),
        software=_software("LibreOffice"),
        services=[ServiceKind.TRAINING],
        commune=communes["39475"],
        on_site=True,
        budget=BudgetRange.UNDER_10K,
        confirmed_at=now - timedelta(days=2),
    )
    if created:
        RequestMessage.objects.create(
            request=training,
            from_client=True,
            author=client,
            body="Les sessions peuvent avoir lieu le matin uniquement.",
        )

    _request(
        "Accompagnement d'un marché de plateforme pédagogique",
        status=RequestStatus.SUBMITTED,
        client_name="Université du Littoral",
        client_kind=ClientKind.PUBLIC_BODY,
        client_organisation=organisations.get("universite-du-littoral"),
        contact_name="Claire Dumas",
        contact_email="achats@universite-du-littoral.example",
        description="Maintenance corrective et évolutive de notre Moodle, hébergement compris.",
        software=_software("Moodle"),
        services=[ServiceKind.SUPPORT, ServiceKind.DEVELOPMENT, ServiceKind.HOSTING],
        commune=communes["33063"],
        budget=BudgetRange.FROM_90K,
        is_tender=True,
        tender_reference="2026-UDL-017",
        tender_deadline=now + timedelta(days=30),
        confirmed_at=now - timedelta(days=1),
    )

    _request(
        "Billetterie en ligne du festival",
        status=RequestStatus.NOT_A_FIT,
        client_name="Association Festival des Arts",
        client_kind=ClientKind.ASSOCIATION,
        contact_name="Hugo Martin",
        contact_email="contact@festival-des-arts.example",
        description="Nous voulons adapter le module de billetterie fourni par notre éditeur.",
        software_other="Billetterie fournie par l'éditeur de la salle",
        services=[ServiceKind.DEVELOPMENT],
        commune=communes["84007"],
        budget=BudgetRange.UNDER_10K,
        confirmed_at=now - timedelta(days=20),
        closed_at=now - timedelta(days=15),
        not_a_fit_rationale=(
            "Le module est propriétaire et son éditeur n'en autorise pas la modification : "
            "aucun membre ne peut y intervenir légalement. Nous vous conseillons de demander à "
            "la salle une exportation ouverte des ventes ; nous pouvons alors vous aider à "
            "choisir une billetterie libre pour la saison prochaine."
        ),
    )

    _request(
        "Messagerie collaborative pour nos agences",
        status=RequestStatus.UNCONFIRMED,
        client_name="Mutuelle Entraide",
        client_kind=ClientKind.COMPANY,
        contact_name="Sophie Roux",
        contact_email="dsi@mutuelle-entraide.example",
        description="Remplacer notre messagerie par une solution libre, pour 200 personnes.",
        software=_software("SOGo"),
        services=[ServiceKind.INTEGRATION, ServiceKind.SUPPORT],
        commune=communes["44109"],
        budget=BudgetRange.FROM_10K,
    )
    _awards()
    _rankings()
    _shortlisted(communes.get("33063"), organisations.get("universite-du-littoral"))
    _consortium(communes.get("69123"))
    return []


# Past requests whose client chose a member, in earlier quarters, so that "How work is spread"
# shows believable figures and the fair-spread component has work to count. The GLPI
# editor and maintainer (Parc Ouvert, Libre et Local) were chosen over a year ago: their
# recent work is nil, so the demo's GLPI lot ranks them first.
# (title, client slug, INSEE code, software, member chosen, person-days, days ago chosen).
AWARDS = [
    ("Migration de la messagerie des services vers SOGo", "departement-des-monts", "63113",
     "SOGo", "messagerie-solidaire", "30", 70),
    ("Cartographie des réseaux d'eau avec QGIS", "departement-des-monts", "63113",
     "Qgis", "cartolibre", "20", 85),
    ("Refonte accessible du site de la ville", "ville-de-saint-aubin", "39475",
     "Drupal", "pixels-et-pingouins", "12", 95),
    ("Authentification unique des applications métier", "metropole-du-confluent", "69123",
     "LemonLDAP::NG", "identites-libres", "25", 105),
    ("Maintenance de la plateforme de formation Moodle", "universite-du-littoral", "33063",
     "Moodle", "savoirs-en-ligne", "45", 120),
    ("Automatisation du déploiement des serveurs", "mutuelle-entraide", "44109",
     "Ansible", "alpes-devops", "15", 135),
    ("Support de l'outil de tickets des services techniques", "ville-de-saint-aubin", "39475",
     "GLPI", "rhone-logiciels-libres", "15", 200),
    ("Intranet documentaire XWiki", "mutuelle-entraide", "44109",
     "XWiki", "atelier-du-code-commun", "25", 215),
    ("Évolutions Moodle pour la rentrée", "universite-du-littoral", "33063",
     "Moodle", "savoirs-en-ligne", "30", 230),
    ("Virtualisation des serveurs de la direction informatique", "departement-des-monts",
     "63113", "Proxmox VE", "infra-coop", "20", 250),
    ("Espaces de fichiers Nextcloud pour les écoles", "ville-de-saint-aubin", "39475",
     "Nextcloud", "nuage-citoyen", "35", 290),
    ("Conformité des postes de travail", "metropole-du-confluent", "69123",
     "Rudder", "securite-ouverte", "8", 310),
    ("Audit d'accessibilité du portail citoyen", "metropole-du-confluent", "69123",
     "Asqatasun", "atelier-accessible", "12", 380),
    ("Inventaire du parc des collèges", "departement-des-monts", "63113",
     "GLPI", "libre-et-local", "30", 400),
    ("Tableaux de bord de la qualité de l'air", "metropole-du-confluent", "69123",
     "Apache Superset", "donnees-communes", "18", 470),
    ("Gestion du parc des lycées", "universite-du-littoral", "33063",
     "GLPI", "teclib-sud-est", "50", 480),
    ("Forge logicielle des services numériques", "mutuelle-entraide", "44109",
     "Tuleap", "normandie-open-source", "22", 520),
    ("Plateforme de participation citoyenne", "ville-de-saint-aubin", "39475",
     "Decidim", "participation-ouverte", "40", 550),
]  # fmt: skip


def _awards() -> None:
    """Each past request has one lot and the member its client chose (idempotent, by title)."""
    now = timezone.now()
    slugs = {slug for row in AWARDS for slug in (row[1], row[4])}
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    communes = {
        c.insee_code: c for c in Commune.objects.filter(insee_code__in=[r[2] for r in AWARDS])
    }
    for title, client_slug, insee, software, member_slug, days, ago in AWARDS:
        client, member = organisations.get(client_slug), organisations.get(member_slug)
        if client is None or member is None or insee not in communes:
            continue
        chosen_at = now - timedelta(days=ago)
        request, created = _request(
            title,
            status=RequestStatus.CHOSEN,
            client_name=client.name,
            client_kind=ClientKind.PUBLIC_BODY
            if client.kind == "public_body"
            else ClientKind.COMPANY,
            client_organisation=client,
            contact_name="Service informatique",
            contact_email=f"dsi@{client_slug}.example",
            description=title + ".",
            software=_software(software),
            services=[ServiceKind.INTEGRATION],
            commune=communes[insee],
            confirmed_at=chosen_at - timedelta(days=40),
        )
        if not created:
            continue
        Request.objects.filter(pk=request.pk).update(created_at=chosen_at - timedelta(days=41))
        lot = Lot.objects.create(
            request=request,
            position=1,
            title=title,
            person_days=Decimal(days),
            commune=communes[insee],
        )
        lot.software.set(_software(software))
        ShortlistEntry.objects.create(
            lot=lot,
            organisation=member,
            rank=1,
            sent_at=chosen_at - timedelta(days=20),
            member_response=MemberResponse.ACCEPTED,
            member_responded_at=chosen_at - timedelta(days=18),
            chosen_at=chosen_at,
        )


def _rankings() -> None:
    """The qualified request's lots are ranked once, so that their ranking pages show one."""
    lots = Lot.objects.filter(request__title=QUALIFIED_TITLE, runs__isnull=True).select_related(
        "request", "request__commune", "commune"
    )
    for lot in lots.order_by("position"):
        lot_rank(lot=lot)


def _shortlisted(commune: Commune | None, client: Organisation | None) -> None:
    """A request whose shortlist is sent: one Moodle lot, ranked, the best three proposed and
    sent to the client, the first of them available (idempotent, by title)."""
    if commune is None:
        return
    now = timezone.now()
    request, created = _request(
        SHORTLISTED_TITLE,
        status=RequestStatus.QUALIFIED,
        client_name="Université du Littoral",
        client_kind=ClientKind.PUBLIC_BODY,
        client_organisation=client,
        contact_name="Claire Dumas",
        contact_email="numerique@universite-du-littoral.example",
        description=(
            "Notre plateforme Moodle (12 000 étudiants) doit être hébergée en France et "
            "maintenue : mises à jour, sauvegardes, assistance aux enseignants."
        ),
        software=_software("Moodle"),
        services=[ServiceKind.HOSTING, ServiceKind.SUPPORT],
        commune=commune,
        budget=BudgetRange.FROM_40K,
        confirmed_at=now - timedelta(days=12),
    )
    if not created:
        return
    lot = Lot.objects.create(
        request=request,
        position=1,
        title="Hébergement et maintenance de Moodle",
        description="Hébergement en France, mises à jour, sauvegardes et assistance.",
        skills="Moodle, hébergement, maintenance",
        person_days=Decimal("30"),
        on_site=False,
        commune=commune,
    )
    lot.software.set(_software("Moodle"))
    run = lot_rank(lot=lot)
    entries = shortlist_propose(lot=lot, run=run, by=None, size=3)
    if not entries:
        return
    shortlist_send(request=request, by=None)
    entries[0].refresh_from_db()
    member_respond(entry=entries[0], accepted=True, by=None)


# The consortium's day rates, by role then organisation: exact decimals, excluding tax.
CONSORTIUM_RATES = [Decimal("650.00"), Decimal("587.50"), Decimal("612.35")]


def _consortium(commune: Commune | None) -> None:
    """A two-lot request answered by a consortium: both lots ranked, the best three of each
    sent to the client, the consortium proposed and priced (idempotent, by title)."""
    if commune is None:
        return
    now = timezone.now()
    request, created = _request(
        CONSORTIUM_TITLE,
        status=RequestStatus.QUALIFIED,
        client_name="Syndicat des eaux du Rhône",
        client_kind=ClientKind.PUBLIC_BODY,
        contact_name="Marc Perrin",
        contact_email="dsi@syndicat-des-eaux.example",
        description=(
            "Inventorier et suivre notre parc informatique, et partager les fichiers de nos "
            "équipes de terrain."
        ),
        software=_software("GLPI", "Nextcloud"),
        services=[ServiceKind.INTEGRATION, ServiceKind.SUPPORT],
        commune=commune,
        budget=BudgetRange.FROM_40K,
        confirmed_at=now - timedelta(days=20),
    )
    if not created:
        return
    for position, (title, software, days) in enumerate(
        [
            ("Inventaire et assistance GLPI", "GLPI", "30"),
            ("Partage de fichiers Nextcloud", "Nextcloud", "20"),
        ],
        start=1,
    ):
        lot = Lot.objects.create(
            request=request,
            position=position,
            title=title,
            person_days=Decimal(days),
            on_site=False,
            commune=commune,
        )
        lot.software.set(_software(software))
        run = lot_rank(lot=lot)
        if not shortlist_propose(lot=lot, run=run, by=None, size=3):
            return
    shortlist_send(request=request, by=None)
    request.refresh_from_db()
    try:
        consortium = consortium_propose(request=request, by=None)
    except ConsortiumError:
        return
    members = consortium.members.select_related("consortium__request").order_by("role", "pk")
    for member, rate in zip(members, CONSORTIUM_RATES, strict=False):
        consortium_member_update(
            member=member, person_days=member.person_days, day_rate=rate, by=None
        )
    _subcontractor(consortium)


def _subcontractor(consortium: Consortium) -> None:
    """The lead hands a few days of its first lot to a hosting member, as a subcontractor
    (added by the demo's coordinator, as a coordinator would)."""
    coordinator = User.objects.filter(email="coordination@demo.guichet.test").first()
    lead = consortium.members.filter(role=ConsortiumRole.LEAD).first()
    host = (
        Organisation.objects.filter(is_member=True, software_links__role="host")
        .exclude(pk__in=consortium.members.values("organisation"))
        .order_by("name")
        .first()
    )
    lot = lead.lots.order_by("position").first() if lead else None
    if coordinator is None or lead is None or host is None or lot is None:
        return
    consortium_subcontractor_add(
        consortium=consortium,
        contractor=lead,
        organisation=host,
        lots=[lot],
        person_days=Decimal("4"),
        day_rate=Decimal("540.00"),
        by=coordinator,
    )
