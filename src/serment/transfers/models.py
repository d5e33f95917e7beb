"""Transfer letters: the sending side's letter and the receiving side's receipt.

A member transferred officially to another committee (``members`` records it as leaving
the register, reason ``transferred_away``) gets a letter with a package of their record
and dated history. The receiving committee imports the package into one of its cells:
that is the receipt, which opens the deadline for presenting the member to the new cell.
The sending side sees the receipt: directly when both sides keep one database, else
from the acknowledgement the receiving side sends back (docs/api.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serment.core.dates import show_date
from serment.core.scoping import ScopedQuerySet


class LetterQuerySet(ScopedQuerySet):
    scope_path_lookup = "from_organisation__path"
    scope_member_lookup = None


class TransferLetter(models.Model):
    """The sending side: a letter of official transfer and the package it carries."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="transfer_letters", verbose_name=_("member")
    )
    from_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("cell")
    )
    destination = models.CharField(_("receiving committee"), max_length=200)
    number = models.CharField(_("letter number"), max_length=100)
    issued_on = models.DateField(_("issued on"))
    package_id = models.UUIDField(_("package"), unique=True)
    checksum = models.CharField(pgettext_lazy("transfer package", "checksum"), max_length=64)
    package = models.JSONField(_("package"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    received_note = models.CharField(_("how it was received"), max_length=300, blank=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "pk"]
        verbose_name = _("transfer letter")
        verbose_name_plural = _("transfer letters")

    def __str__(self) -> str:
        return f"{self.number} ({self.member_id})"


class ReceiptQuerySet(ScopedQuerySet):
    scope_path_lookup = "cell__path"
    scope_member_lookup = "member"


class TransferReceipt(models.Model):
    """The receiving side: a package imported into one of its cells."""

    package_id = models.UUIDField(_("package"), unique=True)
    checksum = models.CharField(pgettext_lazy("transfer package", "checksum"), max_length=64)
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="transfer_receipts", verbose_name=_("member")
    )
    cell = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("cell")
    )
    sender = models.CharField(_("sending committee"), max_length=200)
    letter_number = models.CharField(_("letter number"), max_length=100)
    received_on = models.DateField(_("received on"))
    present_by = models.DateField(_("to be presented to the cell by"))
    presented_on = models.DateField(_("presented to the cell on"), null=True, blank=True)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "pk"]
        verbose_name = _("transfer receipt")
        verbose_name_plural = _("transfer receipts")

    def __str__(self) -> str:
        return f"{self.letter_number} → {self.cell_id}"


class PriorPeriod(models.Model):
    """A period of a transferred member's history at an organisation this database does
    not hold (another province's cell): kept as the package gave it."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="prior_periods")
    kind = models.CharField(max_length=10, choices=[("cell", _("cell")), ("post", _("post"))])
    organisation_code = models.CharField(_("organisation code"), max_length=40)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    how = models.CharField(_("how"), max_length=30, blank=True)
    post = models.CharField(_("post"), max_length=30, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    document_ref = models.CharField(_("document reference"), max_length=100, blank=True)

    class Meta:
        ordering = ["member", "starts_on", "pk"]
        verbose_name = _("period before the transfer")

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind} {self.organisation_code} from {show_date(self.starts_on)}"
