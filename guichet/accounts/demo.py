"""Demo people: one login per role, and the three default colleges of a SCIC."""

from allauth.account.models import EmailAddress

from guichet.accounts.models import College, Role, User
from guichet.accounts.services import role_grant
from guichet.core.demo_data import DEMO_PASSWORD, DemoLogin

COLLEGES = [
    (
        "fondateurs",
        "Fondateurs et mainteneurs",
        "Founders and maintainers",
        "Les structures qui ont fondé le réseau et maintiennent les logiciels qu'il propose.",
        "The organisations that founded the network and maintain the software it offers.",
    ),
    (
        "contributeurs",
        "Contributeurs",
        "Contributors",
        "Les personnes et structures qui réalisent les missions et contribuent aux communs.",
        "The people and organisations that carry out missions and contribute to the commons.",
    ),
    (
        "partenaires",
        "Partenaires et utilisateurs",
        "Partners and users",
        "Les clients, collectivités et partenaires qui soutiennent le réseau.",
        "The clients, public bodies and partners who support the network.",
    ),
]

# (login key, email, name, roles, college, description printed with the login)
PEOPLE = [
    ("coordinator", "coordination@demo.guichet.test", "Camille Roussel",
     [Role.COORDINATOR, Role.ASSOCIATE], "fondateurs", "coordinatrice du réseau"),
    ("member", "membre@demo.guichet.test", "Yanis Belkacem",
     [Role.MEMBER], None, "membre d'une organisation prestataire"),
    ("associate", "associe@demo.guichet.test", "Léa Fontaine",
     [Role.MEMBER, Role.ASSOCIATE], "contributeurs", "associée (collège des contributeurs)"),
    ("client", "client@demo.guichet.test", "Martine Lefèvre",
     [Role.CLIENT], None, "cliente, d'une collectivité"),
    ("member_other", "membre2@demo.guichet.test", "Hugo Marchand",
     [Role.MEMBER], None, "membre d'une autre organisation prestataire"),
    ("staff", "admin@demo.guichet.test", "Sacha Admin",
     [], None, "équipe technique (administration)"),
    ("applicant", "candidate@demo.guichet.test", "Inès Moreau",
     [], None, "gérante d'une organisation candidate à l'adhésion"),
]  # fmt: skip


def load() -> list[DemoLogin]:
    colleges = {}
    for position, (slug, name, name_en, description, description_en) in enumerate(COLLEGES):
        colleges[slug], _ = College.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": name_en,
                "description": description,
                "description_en": description_en,
                "position": position,
            },
        )
    logins = []
    for key, email, name, roles, college, description in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name)
        user.full_name = name
        user.is_staff = key == "staff"
        user.is_superuser = key == "staff"
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        held = set(user.role_grants.values_list("role", flat=True))
        for role in roles:
            if role not in held:
                role_grant(user=user, role=role, college=colleges.get(college or ""))
        logins.append(DemoLogin(key=key, email=email, description=description))
    return logins
