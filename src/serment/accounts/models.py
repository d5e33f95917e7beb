from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from serment.core.roles import Role
from serment.core.scoping import ScopedQuerySet


class RoleGrantQuerySet(ScopedQuerySet):
    scope_path_lookup = "organisation__path"
    scope_member_lookup = None


class RoleGrant(models.Model):
    """A role held by a user on an organisation; it covers the organisation's subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_grants",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="role_grants",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__path", "role"]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="grant_dates_in_order",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=Q(ends_on__isnull=True),
                name="one_open_grant_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"
