"""People, their roles in the network, and their personal API tokens."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Logs in by email; the name is what others see."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("staff"), default=False, help_text=_("May use the administration site.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class College(models.Model):
    """A group of associates who vote together, as a cooperative's statutes define (SCIC)."""

    slug = models.SlugField(_("identifier"), unique=True)
    name = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("college")
        verbose_name_plural = _("colleges")

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        return self.name_en if (get_language() or "fr").startswith("en") else self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    MEMBER = "member", _("Member")
    CLIENT = "client", _("Client")
    ASSOCIATE = "associate", _("Associate")


class RoleGrant(models.Model):
    """A role a person holds in the network. An associate always sits in one college."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    college = models.ForeignKey(
        College, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("college")
    )
    granted_at = models.DateTimeField(_("granted on"), default=timezone.now)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role"),
            models.CheckConstraint(
                condition=(Q(role="associate", college__isnull=False) | ~Q(role="associate"))
                & (Q(role="associate") | Q(college__isnull=True)),
                name="college_only_and_always_for_associates",
                violation_error_message=_("An associate sits in exactly one college."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A personal token for the API. Only its hash is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires on"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class NotificationOptOut(models.Model):
    """A person's choice not to receive one kind of email (see accounts/notifications.py).

    The row is the record of the opt-out: when it was made; removing it opts back in.
    """

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_opt_outs")
    kind = models.CharField(_("kind of email"), max_length=60)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        ordering = ["person", "kind"]
        verbose_name = _("email opt-out")
        verbose_name_plural = _("email opt-outs")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="notification_opt_out_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.kind}"
