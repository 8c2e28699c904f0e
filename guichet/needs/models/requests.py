"""A client's request: who asks, what for, where, when, and for how much.

A request needs no account. It waits unconfirmed until the client opens the link emailed to
them (single use, expiring); it then reaches the coordinators. The client follows it through
a private signed link, sent again with every email, or, when signed in, from their space.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.network.models import Commune, Organisation, Software


class ClientKind(models.TextChoices):
    PUBLIC_BODY = "public_body", _("Public body")
    COMPANY = "company", _("Company")
    ASSOCIATION = "association", _("Association")


class ServiceKind(models.TextChoices):
    DEVELOPMENT = "development", _("Development")
    INTEGRATION = "integration", _("Integration")
    SUPPORT = "support", _("Support and maintenance")
    TRAINING = "training", _("Training")
    HOSTING = "hosting", _("Hosting")
    AUDIT = "audit", _("Audit")


class BudgetRange(models.TextChoices):
    """Ranges that follow French public procurement thresholds (excluding tax)."""

    UNKNOWN = "unknown", _("I do not know yet")
    UNDER_10K = "lt10k", _("Under €10,000")
    FROM_10K = "10k-40k", _("€10,000 to €40,000")
    FROM_40K = "40k-90k", _("€40,000 to €90,000")
    FROM_90K = "90k-220k", _("€90,000 to €220,000")
    OVER_220K = "gt220k", _("Over €220,000")


class RequestStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for the email confirmation")
    SUBMITTED = "submitted", _("Received, to be qualified")
    QUALIFIED = "qualified", _("Qualified into lots")
    SHORTLISTED = "shortlisted", _("Shortlist sent to the client")
    CHOSEN = "chosen", _("Providers chosen")
    CONSORTIUM = "consortium", _("Consortium formed")
    NOT_A_FIT = "not_a_fit", _("Closed: open source is not the right fit")
    CLOSED = "closed", _("Closed")


class Request(models.Model):
    """A client's need or tender, as submitted through the public form."""

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.UNCONFIRMED,
        db_index=True,
    )
    # Who asks.
    client_name = models.CharField(_("organisation"), max_length=200)
    client_kind = models.CharField(
        _("kind of organisation"), max_length=20, choices=ClientKind.choices
    )
    client_siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    # Set when the client is (or becomes) an organisation of the directory: never proposed
    # to itself.
    client_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("client organisation"),
    )
    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    # The language the client wrote in: emails about the request are written in it.
    language = models.CharField(_("language"), max_length=8, default="fr")
    client_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="client_requests",
    )
    # A member the client asked for by name (from its profile): ranked for every lot as a
    # provider the client brings, whatever its software (needs/selectors_matching.py).
    named_provider = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member the client asked for"),
    )
    # What for.
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what you need"))
    software = models.ManyToManyField(
        Software, blank=True, related_name="requests", verbose_name=_("software")
    )
    software_other = models.CharField(
        _("other software"),
        max_length=300,
        blank=True,
        help_text=_("Software that is not in the catalogue, as you name it."),
    )
    services = models.JSONField(_("kinds of service"), default=list)
    # Where and when.
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    on_site = models.BooleanField(_("on-site presence needed"), default=False)
    budget = models.CharField(
        _("budget"), max_length=10, choices=BudgetRange.choices, default=BudgetRange.UNKNOWN
    )
    start_date = models.DateField(_("desired start"), null=True, blank=True)
    end_date = models.DateField(_("desired end"), null=True, blank=True)
    # A formal public tender.
    is_tender = models.BooleanField(_("formal public tender"), default=False)
    tender_reference = models.CharField(_("tender reference"), max_length=100, blank=True)
    tender_deadline = models.DateTimeField(_("bid deadline"), null=True, blank=True)
    max_lots_per_bidder = models.PositiveSmallIntegerField(
        _("maximum lots one bidder may win"), null=True, blank=True
    )
    # The coordinators' answer when open source is not the right fit.
    not_a_fit_rationale = models.TextField(_("why open source is not the right fit"), blank=True)
    # The confirmation link is single use: only its hash is kept, and cleared once used.
    confirm_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    confirm_expires_at = models.DateTimeField(null=True, blank=True)
    # Follow-up links are signed (so that every email can carry a fresh one) and expire;
    # changing the nonce revokes every link sent so far.
    follow_nonce = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(_("submitted on"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    @property
    def reference(self) -> str:
        """The number clients and coordinators quote: year and sequence."""
        year = self.created_at.year if self.created_at else ""
        return f"D-{year}-{self.pk or 0:04d}"


def document_path(instance: "RequestDocument", filename: str) -> str:
    # A random name: the client's file name is kept apart, never used as a path.
    return f"requests/{uuid.uuid4().hex}"


class RequestDocument(models.Model):
    """A tender document attached by the client: PDF or ODT, size-limited, served only to
    the people who may see the request."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.original_name


class RequestMessage(models.Model):
    """A message in the thread between the coordinators and the client."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_client = models.BooleanField(default=False)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.request.reference} — {self.created_at:%Y-%m-%d}"
