from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import messages


class NotificationQuerySet(models.QuerySet):
    def for_reader(self, user) -> NotificationQuerySet:
        """A person's own notifications: addressed to their account or to their member
        record. Nobody reads another person's notifications, whatever their role."""
        from serment.core.scoping import scope_for

        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        q = Q(user=user)
        member_id = scope_for(user).member_id
        if member_id is not None:
            q |= Q(member_id=member_id)
        return self.filter(q)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notification, stored as a message key and parameters so that it reads
    in the reader's language (``home.messages``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(_("message"), max_length=60)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    task_key = models.CharField(max_length=120, blank=True)  # the task it reminds of, if any
    due_on = models.DateField(_("due by"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(member__isnull=False), name="notification_has_recipient"
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"]), models.Index(fields=["member", "read_at"])]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return messages.render(self.key, self.params)
