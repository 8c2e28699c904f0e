"""The chart of accounts and the journals the cooperative starts with (docs/finance/chart.md).

Frozen here on purpose: a later change to the chart is a later migration. Idempotent, so that
a test can put the chart back after emptying its database.
"""

from typing import Any

from django.db import migrations

# (number, French name, English name, kept per client, supplier or project)
ACCOUNTS = [
    ("1013", "Capital souscrit – appelé, versé", "Share capital – called up, paid", False),
    ("1061", "Réserve légale", "Legal reserve", False),
    ("1063", "Réserves statutaires", "Statutory reserves", False),
    ("1068", "Autres réserves (impartageables)", "Other reserves (impartible)", False),
    ("110", "Report à nouveau (solde créditeur)", "Retained earnings (credit)", False),
    ("119", "Report à nouveau (solde débiteur)", "Retained losses (debit)", False),
    ("120", "Résultat de l'exercice (bénéfice)", "Result for the year (profit)", False),
    ("129", "Résultat de l'exercice (perte)", "Result for the year (loss)", False),
    ("401", "Fournisseurs et organisations membres", "Suppliers and member organisations", True),
    ("411", "Clients", "Clients", True),
    ("44551", "TVA à décaisser", "VAT payable", False),
    ("44566", "TVA déductible sur autres biens et services", "Deductible VAT on services", False),
    ("44571", "TVA collectée", "VAT collected", False),
    ("4671", "Fonds amont – reversements dus aux projets", "Upstream fund – owed to projects", True),
    ("512", "Banque", "Bank", False),
    ("604", "Achats de prestations de services (membres)", "Services bought (members' work)", False),
    ("627", "Services bancaires", "Bank charges", False),
    ("6288", "Budgets contributifs", "Contributive budgets", False),
    ("6588", "Reversements aux projets amont", "Reversements to upstream projects", False),
    ("706", "Prestations de services", "Services rendered", False),
    ("7082", "Commissions", "Commission", False),
]

# (code, French name, English name, kind)
JOURNALS = [
    ("VT", "Ventes", "Sales", "sales"),
    ("AC", "Achats", "Purchases", "purchases"),
    ("BQ", "Banque", "Bank", "bank"),
    ("OD", "Opérations diverses", "Miscellaneous", "miscellaneous"),
    ("AN", "À-nouveaux", "Opening balances", "opening"),
]


def seed(apps: Any, schema_editor: Any) -> None:
    Account = apps.get_model("finance", "Account")
    Journal = apps.get_model("finance", "Journal")
    for number, name, name_en, requires_auxiliary in ACCOUNTS:
        Account.objects.update_or_create(
            number=number,
            defaults={"name": name, "name_en": name_en, "requires_auxiliary": requires_auxiliary},
        )
    for code, name, name_en, kind in JOURNALS:
        Journal.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "kind": kind}
        )


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
