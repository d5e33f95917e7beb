from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from serment.core.scoping import ScopedQuerySet


class Kind(models.TextChoices):
    PROVINCE = "province", _("Provincial committee")
    DISTRICT = "district_committee", _("Committee directly under the province")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots committee")
    GRASSROOTS_CELL = "grassroots_cell", _("Grassroots cell")
    SUB_COMMITTEE = "sub_committee", _("Sub-committee")
    CELL = "cell", _("Cell")


# DOMAIN §1: which kind may sit under which.
ALLOWED_PARENTS: dict[str, tuple[str, ...]] = {
    Kind.PROVINCE: (),
    Kind.DISTRICT: (Kind.PROVINCE,),
    Kind.GRASSROOTS_COMMITTEE: (Kind.DISTRICT, Kind.PROVINCE),
    Kind.GRASSROOTS_CELL: (Kind.DISTRICT, Kind.PROVINCE),
    Kind.SUB_COMMITTEE: (Kind.GRASSROOTS_COMMITTEE,),
    Kind.CELL: (Kind.GRASSROOTS_COMMITTEE, Kind.SUB_COMMITTEE),
}
# Members belong to exactly one of these at a time.
MEMBER_HOLDING_KINDS = (Kind.CELL, Kind.GRASSROOTS_CELL)
GRASSROOTS_KINDS = (Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL)
COMMITTEE_KINDS = (Kind.PROVINCE, Kind.DISTRICT, Kind.GRASSROOTS_COMMITTEE, Kind.SUB_COMMITTEE)


class OrganisationQuerySet(ScopedQuerySet):
    scope_path_lookup = "path"
    scope_member_lookup = None

    def subtree(self, org: "Organisation") -> "OrganisationQuerySet":
        return self.filter(path__subtree=org.path)

    def active(self) -> "OrganisationQuerySet":
        return self.filter(dissolved_on__isnull=True)

    def cells(self) -> "OrganisationQuerySet":
        """Cells in the sense of the oath campaign: cells and grassroots cells."""
        return self.filter(kind__in=MEMBER_HOLDING_KINDS)


class Organisation(models.Model):
    """A Party organisation. ``path`` is the materialised path of ids
    (``"1/14/203/"``): the subtree of X is every row whose path starts with X's."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(kind__in=[k for k in Kind if k != Kind.PROVINCE]),
                name="org_only_province_is_root",
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gte=models.F("founded_on")),
                name="org_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def holds_members(self) -> bool:
        return self.kind in MEMBER_HOLDING_KINDS

    def is_within(self, other: "Organisation") -> bool:
        return self.path.startswith(other.path)

    def ancestor_ids(self) -> list[int]:
        return [int(x) for x in self.path.strip("/").split("/") if x]

    def ancestors(self) -> "OrganisationQuerySet":
        """Root first, excluding self."""
        return Organisation.objects.filter(pk__in=self.ancestor_ids()[:-1]).order_by("depth")

    def grassroots(self) -> "Organisation | None":
        """The grassroots organisation this one belongs to (itself if grassroots)."""
        if self.kind in GRASSROOTS_KINDS:
            return self
        return Organisation.objects.filter(pk__in=self.ancestor_ids(), kind__in=GRASSROOTS_KINDS).first()
