"""Demo network: about forty organisations across France, their people, what they know of
real SILL software, a charter of our own, signatures, and applications in progress.

Everything is fictional but the software and the places. Deterministic: the same demo
comes back at every run, and running it again changes nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from guichet.accounts.models import College, Role, User
from guichet.accounts.services import role_grant
from guichet.core.demo_data import DEMO_PASSWORD, DemoLogin
from guichet.network.models import (
    Application,
    Certification,
    Charter,
    Commune,
    Evidence,
    EvidenceKind,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationSize,
    OtherNetwork,
    Software,
    SoftwareLink,
    SoftwareRole,
)
from guichet.network.services.admission import (
    application_submit,
    evaluation_submit,
    evaluator_assign,
)
from guichet.network.services.catalogue import software_import_sill
from guichet.network.services.charter import charter_draft, charter_publish, charter_sign
from guichet.network.services.places import communes_load

CHARTER_VALUES = [
    (
        "Le logiciel libre d'abord",
        "Free software first",
        "Nous proposons des logiciels libres et des formats ouverts chaque fois qu'ils "
        "répondent au besoin, et nous disons franchement quand ce n'est pas le cas.",
        "We offer free software and open formats whenever they meet the need, and we say "
        "plainly when they do not.",
    ),
    (
        "Rendre aux communs",
        "Giving back to the commons",
        "Ce que nous développons sur un logiciel libre pendant une mission retourne au projet "
        "d'origine, sauf exception justifiée et datée ; une part de nos revenus soutient les "
        "projets que nous utilisons.",
        "What we develop on free software during a mission goes back to the original project, "
        "unless a dated exception is justified; a share of our revenue supports the projects "
        "we use.",
    ),
    (
        "Coopérer plutôt que s'accaparer",
        "Cooperating rather than capturing",
        "Nous répondons ensemble quand un besoin dépasse l'un de nous, sans exclusivité : "
        "chaque membre reste libre d'appartenir à d'autres réseaux.",
        "We answer together when a need is too large for one of us, without exclusivity: "
        "every member stays free to belong to other networks.",
    ),
    (
        "La transparence des règles et de l'argent",
        "Transparent rules and money",
        "Les règles de mise en relation, les commissions et les reversements sont publics, et "
        "ne changent que par décision collective.",
        "Matching rules, commissions and redistributions are public, and change only by "
        "collective decision.",
    ),
    (
        "Le libre choix du client",
        "The client's free choice",
        "Le donneur d'ordre choisit librement parmi les membres proposés, ou fait venir son "
        "propre prestataire ; nous lui expliquons chaque proposition.",
        "The client chooses freely among the members proposed, or brings its own provider; "
        "we explain every proposal.",
    ),
    (
        "Le soin des personnes",
        "Care for people",
        "Nous veillons aux conditions de travail de chacun, réglons nos désaccords par le "
        "dialogue et rendons nos services accessibles à toutes et à tous.",
        "We look after everyone's working conditions, settle disagreements through dialogue, "
        "and make our services accessible to all.",
    ),
]
CHARTER_PREAMBLE = (
    "Cette charte réunit les engagements que prennent les organisations membres du réseau. "
    "Chaque membre la signe, et ses pairs l'évaluent au regard de chacune de ces valeurs."
)
CHARTER_PREAMBLE_EN = (
    "This charter gathers the commitments the network's member organisations make. Each "
    "member signs it, and its peers evaluate it against each of these values."
)

# (slug, name, kind, INSEE code, size, capacity, member?, description, [(software, role)])
ORGANISATIONS = [
    ("libre-et-local", "Libre et Local", "cooperative", "69123", "10-49", 60, True,
     "Coopérative d'intégration de logiciels libres pour les collectivités de la région "
     "lyonnaise.", [("GLPI", "maintainer"), ("Nextcloud", "integrator"), ("Moodle", "trainer")]),
    ("atelier-du-code-commun", "Atelier du Code Commun", "company", "44109", "10-49", 45, True,
     "Éditeur et mainteneur de briques libres de gestion documentaire.",
     [("XWiki", "core_contributor"), ("Tracim", "editor"), ("PostgreSQL", "contributor")]),
    ("rhone-logiciels-libres", "Rhône Logiciels Libres", "company", "69266", "10-49", 80, True,
     "Société de services spécialisée dans le parc informatique et l'assistance.",
     [("GLPI", "core_contributor"), ("OCS Inventory", "integrator"), ("Zammad", "integrator")]),
    ("teclib-sud-est", "Parc Ouvert", "company", "38185", "50-249", 120, True,
     "Édition et support d'outils de gestion de parc.",
     [("GLPI", "editor"), ("FusionInventory", "maintainer"), ("Centreon", "integrator")]),
    ("cartolibre", "CartoLibre", "cooperative", "31555", "2-9", 25, True,
     "Systèmes d'information géographique libres pour les territoires.",
     [("Qgis", "core_contributor"), ("PostGIS", "contributor"), ("uMap", "maintainer")]),
    ("bretagne-numerique-libre", "Bretagne Numérique Libre", "association", "35238", "2-9", 15,
     True, "Association d'accompagnement des associations et petites communes bretonnes.",
     [("Yunohost", "contributor"), ("Nextcloud", "host"), ("LibreOffice", "trainer")]),
    ("pixels-et-pingouins", "Pixels et Pingouins", "company", "33063", "2-9", 20, True,
     "Studio web et accessibilité numérique.",
     [("Drupal", "core_contributor"), ("Wordpress", "integrator"), ("Asqatasun", "contributor")]),
    ("mediatheque-ouverte", "Médiathèque Ouverte", "cooperative", "21231", "2-9", 18, True,
     "Formation et accompagnement bureautique libre.",
     [("LibreOffice", "contributor"), ("Thunderbird", "trainer"), ("Scribus", "trainer")]),
    ("nuage-citoyen", "Nuage Citoyen", "cooperative", "59350", "10-49", 40, True,
     "Hébergeur coopératif de services libres.",
     [("NextCloud", "host"), ("BigBlueButton", "host"), ("Peertube", "maintainer")]),
    ("alpes-devops", "Alpes DevOps", "company", "74010", "10-49", 55, True,
     "Infrastructure libre, automatisation et observabilité.",
     [("Ansible", "contributor"), ("Prometheus", "contributor"), ("Grafana", "integrator")]),
    ("formalibre", "Forma'Libre", "freelancer", "63113", "1", 8, True,
     "Formatrice indépendante en outils collaboratifs.",
     [("Moodle", "trainer"), ("Chamilo", "contributor"), ("LibreOffice", "trainer")]),
    ("donnees-communes", "Données Communes", "cooperative", "34172", "2-9", 22, True,
     "Données ouvertes, tableaux de bord et analyse.",
     [("Apache Superset", "contributor"), ("Grafana", "integrator"), ("PostgreSQL", "integrator")]),
    ("identites-libres", "Identités Libres", "company", "75056", "10-49", 50, True,
     "Gestion des identités et authentification unique.",
     [("LemonLDAP::NG", "editor"), ("Keycloak", "contributor"), ("OpenLdap", "integrator")]),
    ("messagerie-solidaire", "Messagerie Solidaire", "company", "67482", "2-9", 16, True,
     "Messagerie et agendas libres pour les organisations.",
     [("SOGo", "core_contributor"), ("Roundcube", "contributor"), ("Postfix", "integrator")]),
    ("le-chant-du-code", "Le Chant du Code", "freelancer", "13055", "1", 10, True,
     "Développeur indépendant, contributeur Python et Django.",
     [("Decidim", "contributor"), ("OpenFisca", "core_contributor")]),
    ("participation-ouverte", "Participation Ouverte", "cooperative", "42218", "2-9", 14, True,
     "Plateformes de participation citoyenne.",
     [("Decidim", "maintainer"), ("Discourse", "integrator"), ("Limesurvey", "integrator")]),
    ("savoirs-en-ligne", "Savoirs en Ligne", "company", "86194", "10-49", 35, True,
     "Plateformes de formation à distance.",
     [("Moodle", "core_contributor"), ("Open EDX", "integrator"), ("Esup-Pod", "contributor")]),
    ("infra-coop", "InfraCoop", "cooperative", "37261", "10-49", 42, True,
     "Virtualisation, stockage et sauvegarde libres.",
     [("Proxmox VE", "integrator"), ("Ceph", "contributor"), ("Bareos", "maintainer")]),
    ("securite-ouverte", "Sécurité Ouverte", "company", "29019", "2-9", 12, True,
     "Audit de sécurité et durcissement de systèmes libres.",
     [("Vault", "integrator"), ("ClamAV", "contributor"), ("Rudder", "integrator")]),
    ("atelier-accessible", "Atelier Accessible", "association", "87085", "2-9", 9, True,
     "Audit et formation à l'accessibilité numérique (RGAA).",
     [("NVDA", "contributor"), ("Asqatasun", "maintainer"), ("Tanaguru", "contributor")]),
    ("wiki-et-compagnie", "Wiki et Compagnie", "company", "45234", "2-9", 15, True,
     "Intranets et bases de connaissances.",
     [("MediaWiki", "contributor"), ("XWiki", "integrator"), ("Hedgedoc", "contributor")]),
    ("rhone-alpes-hebergement", "Hébergement Rhône-Alpes", "company", "69029", "10-49", 30, True,
     "Hébergement souverain et infogérance.",
     [("Nextcloud", "host"), ("Nginx", "integrator"), ("PostgreSQL", "integrator")]),
    ("tickets-libres", "Tickets Libres", "company", "25056", "2-9", 11, True,
     "Support et centres d'appels sur outils libres.",
     [("Zammad", "contributor"), ("GLPI", "integrator"), ("Redmine", "integrator")]),
    ("normandie-open-source", "Normandie Open Source", "company", "76540", "10-49", 38, True,
     "Développement et maintenance d'applications métier libres.",
     [("Tuleap", "contributor"), ("GitLab Community Edition", "integrator"),
      ("Jenkins", "integrator")]),
    ("code-pour-tous", "Code pour Tous", "association", "14118", "1", 5, True,
     "Médiation numérique et initiation aux logiciels libres.",
     [("PrimTux", "contributor"), ("LibreOffice", "trainer")]),
    ("geo-littoral", "Géo Littoral", "freelancer", "66136", "1", 7, True,
     "Cartographe indépendante.", [("Qgis", "trainer"), ("JOSM", "contributor")]),
    ("lorraine-libre", "Lorraine Libre", "cooperative", "54395", "2-9", 19, True,
     "Intégration et formation en Lorraine.",
     [("Nextcloud", "integrator"), ("Jitsi", "host"), ("Rocketchat", "integrator")]),
    ("pays-de-loire-data", "Pays de Loire Data", "company", "49007", "10-49", 28, True,
     "Ingénierie des données.",
     [("Talend Open Studio for Data Integration (BASIC)", "integrator"),
      ("Pentaho Community Edition", "integrator")]),
    # Candidates: not members yet, with applications in progress.
    ("numerique-solidaire-rennes", "Numérique Solidaire Rennes", "association", "35238", "2-9",
     10, False, "Association de réemploi et de logiciels libres pour tous.",
     [("PrimTux", "integrator"), ("LibreOffice", "trainer")]),
    ("opale-conseil", "Opale Conseil", "company", "64445", "2-9", 12, False,
     "Conseil en archivage électronique.", [("VITAM", "integrator")]),
    ("studio-caennais", "Studio Caennais", "company", "14118", "2-9", 14, False,
     "Développement web.", [("Wordpress", "integrator"), ("SPIP", "contributor")]),
    # Clients.
    ("ville-de-saint-aubin", "Ville de Saint-Aubin", "public_body", "39475", "250+", 0, False,
     "Commune cliente du réseau.", []),
    ("metropole-du-confluent", "Métropole du Confluent", "public_body", "69123", "250+", 0, False,
     "Établissement public de coopération intercommunale.", []),
    ("departement-des-monts", "Conseil départemental des Monts", "public_body", "63113", "250+",
     0, False, "Collectivité départementale.", []),
    ("universite-du-littoral", "Université du Littoral", "public_body", "33063", "250+", 0, False,
     "Établissement public d'enseignement supérieur.", []),
    ("mutuelle-entraide", "Mutuelle Entraide", "company", "44109", "50-249", 0, False,
     "Mutuelle de santé.", []),
    ("festival-des-arts", "Association Festival des Arts", "association", "84007", "2-9", 0, False,
     "Association culturelle.", []),
    # Members added later, kept last so that the organisations above stay as they were:
    # near Paris (Montreuil, within 10 km; Versailles, beyond) and in Le Mans.
    ("atelier-web-montreuil", "Atelier Web de Montreuil", "cooperative", "93048", "2-9", 18,
     True, "Sites web libres et accessibles pour les collectivités d'Île-de-France.",
     [("Drupal", "integrator"), ("Wordpress", "integrator"), ("Asqatasun", "trainer")]),
    ("yvelines-donnees-ouvertes", "Yvelines Données Ouvertes", "company", "78646", "2-9", 16,
     True, "Portails de données ouvertes et cartographie.",
     [("Qgis", "integrator"), ("PostgreSQL", "integrator")]),
    ("sarthe-logiciels-libres", "Sarthe Logiciels Libres", "association", "72181", "2-9", 12,
     True, "Accompagnement des communes et associations sarthoises vers le libre.",
     [("Nextcloud", "integrator"), ("LibreOffice", "trainer"), ("Moodle", "integrator")]),
]  # fmt: skip

# Existing demo logins, and where they belong (manager?).
LOGIN_MEMBERSHIPS = [
    ("membre@demo.guichet.test", "libre-et-local", True),
    ("associe@demo.guichet.test", "libre-et-local", False),
    ("membre2@demo.guichet.test", "atelier-du-code-commun", True),
    ("client@demo.guichet.test", "ville-de-saint-aubin", True),
    ("candidate@demo.guichet.test", "numerique-solidaire-rennes", True),
]

FIRST_NAMES = [
    "Camille", "Louise", "Chloé", "Manon", "Jade", "Inès", "Emma", "Lina", "Zoé", "Anaïs",
    "Thomas", "Lucas", "Hugo", "Nathan", "Karim", "Julien", "Mathis", "Antoine", "Sami", "Éric",
    "Claire", "Nadia", "Sophie", "Aurélie", "Fatou", "Paul", "Olivier", "Mehdi", "Yann", "Gaëlle",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent", "Simon", "Michel",
    "Garcia", "Roux", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau",
    "Vincent", "Muller", "Lemaire", "Nguyen", "Benali", "Le Goff", "Traoré", "Perrin", "Caron",
]  # fmt: skip
CERTIFICATIONS = ["Qualiopi", "ESUS (entreprise solidaire d'utilité sociale)", "ISO 27001"]
OTHER_NETWORKS = [
    ("CNLL", "https://cnll.fr/"),
    ("Libre Entreprise", "https://www.libre-entreprise.org/"),
    ("Réseau des SCIC", "https://www.les-scic.coop/"),
]

# Communes the demo uses, plus big cities to search around: the test suite loads only these.
SEARCH_CITIES = ["69123", "75056", "13055", "31555", "44109", "59350", "67482", "33063"]


def siren_for(number: int) -> str:
    """A SIREN with a valid check digit, made up from a number (never a real company's)."""
    body = f"{900000000 + number * 97:09d}"[:8]
    for digit in "0123456789":
        candidate = body + digit
        total = 0
        for position, char in enumerate(reversed(candidate)):
            value = int(char) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable: one check digit always fits")


def _places() -> dict[str, Commune]:
    codes = {row[3] for row in ORGANISATIONS} | set(SEARCH_CITIES)
    if Commune.objects.filter(insee_code__in=codes).count() < len(codes):
        full = getattr(settings, "GUICHET_DEMO_ALL_COMMUNES", True)
        communes_load(only=None if full else codes)
    return {c.insee_code: c for c in Commune.objects.filter(insee_code__in=codes)}


def _charter() -> Charter:
    charter = Charter.objects.filter(version=1).first()
    if charter is None:
        charter = charter_draft(
            values=CHARTER_VALUES, preamble=CHARTER_PREAMBLE, preamble_en=CHARTER_PREAMBLE_EN
        )
    if charter.published_at is None:
        charter_publish(charter=charter)
    return charter


def _person(rng: random.Random, number: int) -> User:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    email = f"{slugify(first)}.{slugify(last)}.{number}@demo.guichet.test"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=f"{first} {last}")
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def load() -> list[DemoLogin]:
    rng = random.Random(2026)
    places = _places()
    software_import_sill()
    charter = _charter()
    colleges = list(College.objects.order_by("position"))
    certifications = [Certification.objects.get_or_create(name=n)[0] for n in CERTIFICATIONS]
    networks = [
        OtherNetwork.objects.get_or_create(name=n, defaults={"website": w})[0]
        for n, w in OTHER_NETWORKS
    ]
    software = {s.name.lower(): s for s in Software.objects.all()}
    now = timezone.now()
    organisations = {}
    for number, row in enumerate(ORGANISATIONS, start=1):
        slug, name, kind, insee, size, capacity, member, description, links = row
        organisation, _ = Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": OrganisationKind(kind),
                "is_member": member,
                "siren": siren_for(number),
                "commune": places.get(insee),
                "city": places[insee].name if insee in places else "",
                "size": OrganisationSize(size),
                "capacity_days": capacity,
                "description": description,
                "website": f"https://{slug}.example",
                "admitted_at": now - timedelta(days=30 * number) if member else None,
                # Spread over the year, none within three months: the demo opens no
                # re-evaluation by itself.
                "next_evaluation_due": (now + timedelta(days=max(90, 400 - 11 * number))).date()
                if member
                else None,
            },
        )
        organisations[slug] = organisation
        if member:
            organisation.certifications.set(rng.sample(certifications, k=number % 3))
            organisation.other_networks.set(rng.sample(networks, k=number % 2 + 1))
        for position, (software_name, role) in enumerate(links):
            target = software.get(software_name.lower())
            if target is None:
                continue  # not in this SILL snapshot
            link, _ = SoftwareLink.objects.update_or_create(
                organisation=organisation,
                software=target,
                role=SoftwareRole(role),
                defaults={
                    "years_experience": 2 + (number + position) % 12,
                    "references": "Références sur demande."
                    if position % 2
                    else "Communes et intercommunalités de la région.",
                    # Most links are verified; some verifications have expired.
                    "verified_at": now - timedelta(days=(number * 37 + position * 90) % 500)
                    if member
                    else None,
                },
            )
            evidence_url = target.repository_url or target.website or f"https://{slug}.example"
            Evidence.objects.get_or_create(
                link=link,
                url=evidence_url,
                defaults={
                    "kind": EvidenceKind.REPOSITORY
                    if target.repository_url
                    else EvidenceKind.OTHER,
                    "note": "",
                },
            )
        if member and not organisation.charter_signatures.filter(charter=charter).exists():
            charter_sign(organisation=organisation, by=None, charter=charter)
    # People: the demo logins, then one to three people per organisation (about sixty in all).
    for email, slug, manager in LOGIN_MEMBERSHIPS:
        Membership.objects.update_or_create(
            person=User.objects.get(email=email),
            organisation=organisations[slug],
            defaults={"is_manager": manager},
        )
    number = 0
    for slug, organisation in organisations.items():
        wanted = 1 + (len(slug) % 3 if organisation.is_member else 0)
        present = organisation.memberships.count()
        for _ in range(max(0, wanted - present) if present < wanted else 0):
            number += 1
            person = _person(rng, number)
            Membership.objects.get_or_create(
                person=person, organisation=organisation, defaults={"is_manager": present == 0}
            )
            present += 1
            role = Role.MEMBER if organisation.is_member else Role.CLIENT
            if not organisation.is_member and organisation.kind != "public_body":
                continue
            if not person.role_grants.filter(role=role).exists():
                role_grant(user=person, role=role)
            if organisation.is_member and number % 2 == 0 and colleges:
                college = colleges[number % len(colleges)]
                if not person.role_grants.filter(role=Role.ASSOCIATE).exists():
                    role_grant(user=person, role=Role.ASSOCIATE, college=college)
    _applications(organisations)
    return []


def _applications(organisations: dict[str, Organisation]) -> None:
    """Three candidates at three stages: just applied, being evaluated, awaiting decision.

    The "member" demo login (Libre et Local) has an evaluation left to do.
    """
    stages = [
        ("studio-caennais", [], 0),
        (
            "numerique-solidaire-rennes",
            ["atelier-du-code-commun", "cartolibre", "libre-et-local"],
            2,
        ),
        ("opale-conseil", ["atelier-du-code-commun", "cartolibre", "nuage-citoyen"], 3),
    ]
    for slug, evaluator_slugs, completed in stages:
        organisation = organisations[slug]
        if Application.objects.filter(organisation=organisation).exists():
            continue
        manager = organisation.memberships.filter(is_manager=True).first()
        application = application_submit(
            organisation=organisation,
            by=manager.person if manager else None,
            motivation="Nous partageons les valeurs du réseau et souhaitons répondre ensemble "
            "aux besoins des collectivités.",
        )
        values = list(application.charter.values.all())
        for position, evaluator_slug in enumerate(evaluator_slugs):
            evaluator_org = organisations[evaluator_slug]
            membership = evaluator_org.memberships.order_by("-is_manager", "pk").first()
            if membership is None:
                continue
            assignment = evaluator_assign(
                application=application,
                evaluator=membership.person,
                organisation=evaluator_org,
                by=None,
            )
            if position < completed:
                comment = "Engagement visible dans ses projets."
                evaluation_submit(
                    assignment=assignment,
                    ratings={v.pk: ("respects", comment) for v in values},
                    by=membership.person,
                )
