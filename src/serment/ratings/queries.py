"""Reads shared by the rating pages, exports, reports and the CLI. Every function
takes the viewer and starts from the scoped querysets; every figure is counted
from the ratings and can be listed (``ratings_in``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from serment.core.db import report_query
from serment.core.reporting import percent
from serment.core.roles import Perm
from serment.core.scoping import scope_for, subtree_q
from serment.organisations.models import GRASSROOTS_KINDS, Kind, Organisation

from .models import Rating, RatingRound, RatingTarget, TargetGroup
from .policies import GOOD_OR_BETTER, Level, SubjectKind


@dataclass(frozen=True)
class Group:
    """A kind of subject counted in the reports, and the ratings it counts."""

    key: str
    label: Any
    subject_kind: str
    org_kinds: tuple[str, ...] = ()  # empty: any

    def condition(self) -> Q:
        q = Q(subject_kind=self.subject_kind)
        if self.org_kinds:
            q &= Q(organisation__kind__in=self.org_kinds)
        return q

    def counts(self, subject_kind: str, org_kind: str) -> bool:
        return subject_kind == self.subject_kind and (not self.org_kinds or org_kind in self.org_kinds)


# The report's rows. "Higher-level organisations" are the committees directly under
# the province (docs/ratings.md); grassroots organisations are grassroots committees
# and grassroots cells; cells are those inside grassroots committees.
GROUPS: tuple[Group, ...] = (
    Group(
        TargetGroup.GRASSROOTS,
        _("Grassroots organisations"),
        SubjectKind.ORGANISATION,
        tuple(GRASSROOTS_KINDS),
    ),
    Group(
        TargetGroup.GRASSROOTS_COMMITTEES,
        _("Grassroots committees"),
        SubjectKind.ORGANISATION,
        (Kind.GRASSROOTS_COMMITTEE,),
    ),
    Group(
        TargetGroup.GRASSROOTS_CELLS, _("Grassroots cells"), SubjectKind.ORGANISATION, (Kind.GRASSROOTS_CELL,)
    ),
    Group(TargetGroup.CELLS, _("Cells under grassroots committees"), SubjectKind.ORGANISATION, (Kind.CELL,)),
    Group(
        TargetGroup.HIGHER,
        _("Committees directly under the province"),
        SubjectKind.ORGANISATION,
        (Kind.DISTRICT,),
    ),
    Group(TargetGroup.MEMBERS, _("Members"), SubjectKind.MEMBER),
    Group("collectives", _("Leadership collectives"), SubjectKind.COLLECTIVE),
    Group("leaders", _("Leaders and managers"), SubjectKind.LEADER),
)
GROUPS_BY_KEY = {g.key: g for g in GROUPS}
YEARS_COMPARED = 3  # the year and the two before it


def visible_ratings(viewer: Any, org: Organisation | None = None) -> QuerySet:
    """Ratings the viewer may see, within ``org``'s subtree when given."""
    qs = Rating.objects.visible_to(viewer)
    if org is not None:
        qs = qs.filter(organisation__path__subtree=org.path)
    return qs


def decided_ratings(viewer: Any, org: Organisation | None = None) -> QuerySet:
    return visible_ratings(viewer, org).filter(locked=True)


def ratings_in(
    viewer: Any,
    *,
    org: Organisation | None,
    year: int,
    group: str,
    level: str = "",
    good_or_better: bool = False,
) -> QuerySet:
    """The decided ratings behind one figure of the report (its drill-down)."""
    qs = decided_ratings(viewer, org).filter(year=year).filter(GROUPS_BY_KEY[group].condition())
    if good_or_better:
        qs = qs.filter(level__in=GOOD_OR_BETTER)
    elif level:
        qs = qs.filter(level=level)
    return qs.select_related("member", "organisation").order_by(
        "organisation__path", "member__sort_name", "pk"
    )


def _mean_percent(shares: Sequence[Fraction]) -> Decimal | None:
    if not shares:
        return None
    mean = sum(shares, Fraction(0)) / len(shares) * 100
    return (Decimal(mean.numerator) / Decimal(mean.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass
class Figures:
    """One group's counts for one year."""

    rated: int = 0
    levels: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Level.values, 0))

    @property
    def excellent(self) -> int:
        return self.levels[Level.EXCELLENT]

    @property
    def good(self) -> int:
        return self.levels[Level.GOOD]

    @property
    def good_or_better(self) -> int:
        return self.excellent + self.good

    @property
    def good_or_better_percent(self) -> Decimal | None:
        return percent(self.good_or_better, self.rated)

    @property
    def excellent_of_rated(self) -> Decimal | None:
        return percent(self.excellent, self.rated)

    @property
    def excellent_of_good(self) -> Decimal | None:
        return percent(self.excellent, self.good)


@dataclass
class GroupRow:
    group: Group
    year: int
    by_year: dict[int, Figures]
    target: RatingTarget | None = None

    @property
    def figures(self) -> Figures:
        return self.by_year.get(self.year, Figures())

    def _years(self) -> list[Figures]:
        return [f for y, f in sorted(self.by_year.items()) if f.rated]

    @property
    def average_excellent_of_rated(self) -> Decimal | None:
        """The mean of the yearly shares excellent of all rated, over the years compared."""
        return _mean_percent([Fraction(f.excellent, f.rated) for f in self._years()])

    @property
    def average_excellent_of_good(self) -> Decimal | None:
        return _mean_percent([Fraction(f.excellent, f.good) for f in self._years() if f.good])

    @property
    def above_target(self) -> Decimal | None:
        share = self.figures.good_or_better_percent
        if self.target is None or share is None:
            return None
        return (share - self.target.good_or_better).quantize(Decimal("0.1"))

    @property
    def target_percent(self) -> Decimal | None:
        """The target share, as written (75, not 75.00)."""
        if self.target is None:
            return None
        value = self.target.good_or_better
        return (
            value.quantize(Decimal(1))
            if value == value.to_integral_value()
            else value.quantize(Decimal("0.1"))
        )

    def previous(self, back: int) -> Figures:
        return self.by_year.get(self.year - back, Figures())

    @property
    def previous_year(self) -> Figures:
        return self.previous(1)

    @property
    def two_years_before(self) -> Figures:
        return self.previous(2)

    @property
    def level_counts(self) -> list[tuple[str, int]]:
        return [(level, self.figures.levels[level]) for level in Level.values]

    @property
    def level_counts_labelled(self) -> list[tuple[str, int, Any]]:
        """(level, count, label): the report's cells with their column name for phones."""
        return [(level, self.figures.levels[level], Level(level).label) for level in Level.values]


@dataclass
class RatingReport:
    org: Organisation | None
    year: int
    rows: list[GroupRow]
    not_completed_twice: int

    @property
    def years(self) -> list[int]:
        return list(range(self.year - YEARS_COMPARED + 1, self.year + 1))


def latest_year(viewer: Any, org: Organisation | None = None) -> int | None:
    """The latest year in which the viewer sees a decided rating.

    Sorting every visible rating by year cost a grassroots user as much as the province
    (issue 14); rating rounds are few (one per committee and year), so each year, latest
    first, is one indexed EXISTS, and the first year found ends the search."""
    decided = decided_ratings(viewer, org)
    years = RatingRound.objects.order_by("-year").values_list("year", flat=True).distinct()
    for year in years:
        if decided.filter(year=year).exists():
            return year
    return None


def _targets(viewer: Any, org: Organisation | None, year: int) -> dict[str, RatingTarget]:
    """Targets set on the organisation, else on its nearest ancestor that has one
    (the whole tree: on the root)."""
    qs = RatingTarget.objects.visible_to(viewer).filter(first_year__lte=year, last_year__gte=year)
    qs = (
        qs.filter(organisation_id__in=org.ancestor_ids())
        if org is not None
        else qs.filter(organisation__depth=0)
    )
    found: dict[str, RatingTarget] = {}
    for t in qs.select_related("organisation").order_by("-organisation__depth"):
        found.setdefault(t.group, t)
    return found


@report_query
def rating_report(viewer: Any, *, org: Organisation | None, year: int) -> RatingReport:
    """Counts per level for each group, for ``year`` and the two years before it,
    with targets and the members not completed two years running. Three queries."""
    years = list(range(year - YEARS_COMPARED + 1, year + 1))
    counts = (
        decided_ratings(viewer, org)
        .filter(year__in=years)
        .values_list("year", "subject_kind", "organisation__kind", "level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_group: dict[str, dict[int, Figures]] = defaultdict(lambda: {y: Figures() for y in years})
    for y, subject_kind, org_kind, level, n in counts:
        for g in GROUPS:
            if g.counts(subject_kind, org_kind):
                fig = by_group[g.key][y]
                fig.rated += n
                fig.levels[level] += n
    targets = _targets(viewer, org, year)
    rows = [GroupRow(g, year, by_group[g.key], targets.get(g.key)) for g in GROUPS]
    return RatingReport(org, year, rows, not_completed_two_years(viewer, org=org, year=year).count())


def not_completed_two_years(viewer: Any, *, org: Organisation | None, year: int) -> QuerySet:
    """Members rated not completed in ``year`` and in the year before (a ground for
    dismissal from office, DOMAIN §4): their ratings of ``year``."""
    before = decided_ratings(viewer, None).filter(
        year=year - 1, subject_kind=SubjectKind.MEMBER, level=Level.NOT_COMPLETED
    )
    return (
        decided_ratings(viewer, org)
        .filter(year=year, subject_kind=SubjectKind.MEMBER, level=Level.NOT_COMPLETED)
        .filter(member_id__in=before.values("member_id"))
        .select_related("member", "organisation")
        .order_by("organisation__path", "member__sort_name")
    )


def rounds_for(viewer: Any) -> QuerySet:
    """The rounds the viewer takes part in, with the subjects and decided ratings *they* see
    (a cell secretary's count is their cell's, not the committee's)."""
    roots = scope_for(viewer).paths_for(Perm.VIEW)
    if not roots:
        return RatingRound.objects.none()
    mine = reduce(or_, [subtree_q("ratings__organisation__path", r) for r in roots])
    return (
        RatingRound.objects.visible_to(viewer)
        .select_related("organisation")
        .annotate(
            subjects=Count("ratings", filter=mine),
            decided=Count("ratings", filter=mine & Q(ratings__locked=True)),
        )
    )


def round_ratings(viewer: Any, rnd: RatingRound, *, kind: str = "", status: str = "") -> QuerySet:
    qs = visible_ratings(viewer).filter(round=rnd).select_related("member", "organisation")
    if kind:
        qs = qs.filter(subject_kind=kind)
    if status == "undecided":
        qs = qs.filter(locked=False)
    elif status == "decided":
        qs = qs.filter(locked=True)
    return qs.order_by("organisation__path", "subject_kind", "member__sort_name", "pk")


def own_ratings(viewer: Any) -> QuerySet:
    """The viewer's own decided ratings as a member, newest first."""
    from serment.core.scoping import scope_for

    member_id = scope_for(viewer).member_id
    if member_id is None:
        return Rating.objects.none()
    return (
        Rating.objects.visible_to(viewer)
        .filter(member_id=member_id, subject_kind__in=(SubjectKind.MEMBER, SubjectKind.LEADER))
        .select_related("organisation")
        .order_by("-year", "pk")
    )
