"""Server time to render the pages every visitor sees first."""

from django.test import Client

from bench.harness import Report
from guichet.accounts.models import User
from guichet.core.demo_data import load_all


def run(report: Report) -> None:
    load_all()
    anonymous = Client()
    report.time("home page, anonymous", lambda: anonymous.get("/"), runs=200)
    member = Client()
    member.force_login(User.objects.get(email="membre@demo.guichet.test"))
    report.time("my space, member", lambda: member.get("/espace/"), runs=200)
