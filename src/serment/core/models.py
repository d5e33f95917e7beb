from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnly(Exception):
    """An audit entry is never changed or deleted once written."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("audit entries are append-only")

    def delete(self):
        raise AppendOnly("audit entries are append-only")


class AuditEntry(models.Model):
    """Who changed what, when. Written by ``core.audit.record`` only, and append-only:
    ``save`` of an existing entry and ``delete`` are refused (on PostgreSQL a trigger
    refuses UPDATE and DELETE too). ``chain_hash`` links each entry to the one before
    (``serment audit verify``)."""

    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    # Kept when the user is deleted (the link above then becomes empty).
    actor_name = models.CharField(_("by"), max_length=150, blank=True, default="")
    action = models.CharField(_("action"), max_length=80)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.BigIntegerField()
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    chain_hash = models.CharField(max_length=64, blank=True, default="", editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id", "at"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type_id}:{self.target_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnly("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("audit entries are append-only")

    @property
    def actor_label(self) -> str:
        return self.actor_name or (self.actor.username if self.actor_id else "")
