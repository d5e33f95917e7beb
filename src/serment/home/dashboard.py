"""The province (or a subtree) at a glance: every figure of the article for the chosen
organisation and period, each from the SAME query functions as the reports
(``oath.queries.coverage``, ``ratings.queries.rating_report``,
``admissions.queries.admission_report``), so the dashboard and the reports can never
disagree. Each figure carries the link to the records behind it."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.cache import caches
from django.db import connection, transaction
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from serment.admissions import queries as admission_queries
from serment.core.dates import show_date
from serment.core.errors import DomainError
from serment.core.models import AuditEntry
from serment.core.roles import Perm
from serment.core.scoping import Scope, scope_for
from serment.oath import queries as oath_queries
from serment.organisations.models import Organisation
from serment.ratings import queries as rating_queries
from serment.ratings.models import Rating, RatingRound, TargetGroup

from .charts import Bar, Chart, peer_rank_chart, percent_text
from .charts import number as _n

logger = logging.getLogger(__name__)

# The rating groups the article quotes (grassroots organisations and members; the
# higher-level committees for the excellent average).
RATING_GROUPS_SHOWN = (TargetGroup.GRASSROOTS, TargetGroup.MEMBERS, TargetGroup.HIGHER)
ADMISSION_YEARS_SHOWN = 3

# The cache alias (settings.CACHES) that every worker shares; see "Dashboard cache" in
# docs/performance.md.
CACHE_ALIAS = "dashboard"
CACHE_TIMEOUT = 24 * 60 * 60


@dataclass
class Figure:
    label: Any
    value: Any
    url: str = ""
    note: Any = ""


@dataclass
class Section:
    key: str
    title: Any
    subtitle: str = ""
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    report_url: str = ""
    empty: Any = ""  # why nothing is shown (no campaign, no decided rating…)
    values: dict[str, Any] = field(default_factory=dict)  # the raw figures, as the report names them


@dataclass
class Dashboard:
    organisation: Organisation
    year: int | None
    as_of: dt.date
    sections: list[Section]


def _url(name: str, *args: Any, **params: Any) -> str:
    base = reverse(name, args=args)
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{base}?{urlencode(params)}" if params else base


def default_organisation(viewer: Any) -> Organisation | None:
    """The top organisation of the viewer's scope (the first one if several)."""
    roots = scope_for(viewer).paths_for(Perm.VIEW)
    return Organisation.objects.filter(path__in=roots).order_by("depth", "path").first()


def default_year(viewer: Any, org: Organisation | None, as_of: dt.date) -> int:
    """The latest year with decided ratings up to the date, else the year before it.

    Sorting every visible rating by year read the whole subtree's ratings (issue 14);
    rating rounds are few (one per committee and year), so each of their years, latest
    first, is two indexed EXISTS, and the first year found ends the search."""
    decided = rating_queries.decided_ratings(viewer, org)
    years = (
        RatingRound.objects.filter(year__lte=as_of.year)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    for year in years:
        # First whether any rating of the year is decided at all (the year index alone: a
        # round still open, such as the live one, answers at once), then in the viewer's
        # subtree (the path index). A year with nothing decided otherwise made the scoped
        # query read every rating of the subtree for nothing (4 s for the province).
        if Rating.objects.filter(year=year, locked=True).exists() and decided.filter(year=year).exists():
            return year
    return as_of.year - 1


def oath_section(viewer: Any, org: Organisation, as_of: dt.date) -> Section:
    section = Section("oath", _("Keeping the oath"))
    campaign = oath_queries.campaign_for_report(viewer=viewer, org=org, as_of=as_of)
    if campaign is None:
        section.empty = _("No campaign covers this organisation by this date.")
        return section
    cov = oath_queries.coverage(viewer=viewer, campaign=campaign, org=org, as_of=as_of)
    t, m = cov.total, cov.total.members
    section.subtitle = campaign.title
    common = {"org": org.pk, "as_of": as_of.isoformat()}

    def members(category: str) -> str:
        return _url("oath:coverage_list", campaign.pk, "members", category=category, **common)

    section.report_url = _url("oath:coverage", campaign.pk, **common)
    section.values = {
        "campaign": campaign.pk,
        "cells_held": t.cells_held,
        "cells": t.cells,
        "cells_percent": t.cells_percent,
        "members_percent": t.percent,
        **{f"members_{k}": v for k, v in m.items()},
    }
    section.figures = [
        Figure(
            _("Cells that held the meeting"),
            f"{_n(t.cells_held)} / {_n(t.cells)} = {percent_text(t.cells_percent)}",
            _url("oath:coverage_list", campaign.pk, "cells", category="held", **common),
        ),
        Figure(
            _("Members who reported"),
            f"{_n(m['reported'])} / {_n(m['expected'])} = {percent_text(t.percent)}",
            members("reported"),
        ),
        Figure(_("Exempt from work and activities"), f"{_n(m['exempt'])}", members("exempt")),
        Figure(_("Temporarily transferred out"), f"{_n(m['transferred_out'])}", members("transferred_out")),
        Figure(_("Absent from the meeting"), f"{_n(m['absent'])}", members("absent")),
        Figure(_("Not reported, no reason recorded"), f"{_n(m['not_reported'])}", members("not_reported")),
    ]
    bars = [
        Bar(
            label=r.organisation.name,
            value=r.percent,
            text=f"{percent_text(r.percent)} ({_n(r.members['reported'])}/{_n(r.members['expected'])})",
            url=_url("oath:coverage", campaign.pk, org=r.organisation.pk, as_of=as_of.isoformat()),
        )
        for r in cov.rows
        if r.organisation is not None and r.members["expected"]
    ]
    if bars:
        section.charts.append(Chart(_("Members who reported, by organisation"), bars, maximum=Decimal(100)))
    return section


def ratings_section(viewer: Any, org: Organisation, year: int) -> Section:
    section = Section("ratings", _("Quality rating"))
    report = rating_queries.rating_report(viewer, org=org, year=year)
    section.subtitle = str(year)
    section.report_url = _url("ratings:report", org=org.pk, year=year)
    rows = {r.group.key: r for r in report.rows}
    if not any(r.figures.rated for r in report.rows):
        section.empty = _("No decided ratings for this year.")
        return section

    section.values = {
        f"{r.group.key}.{name}": value
        for r in report.rows
        for name, value in (
            ("rated", r.figures.rated),
            ("good_or_better", r.figures.good_or_better),
            ("good_or_better_percent", r.figures.good_or_better_percent),
            ("excellent", r.figures.excellent),
            ("excellent_percent_of_rated", r.figures.excellent_of_rated),
            ("average_excellent_percent_of_rated", r.average_excellent_of_rated),
            ("average_excellent_percent_of_good", r.average_excellent_of_good),
        )
    }
    section.values["not_completed_twice"] = report.not_completed_twice

    def records(group: str, **extra: Any) -> str:
        return _url("ratings:records", group=group, year=year, org=org.pk, **extra)

    for key in RATING_GROUPS_SHOWN:
        r = rows[key]
        f = r.figures
        if not f.rated:
            continue
        target = (
            _("target %(target)s%%, %(diff)s points") % {"target": r.target_percent, "diff": r.above_target}
            if r.target_percent is not None
            else ""
        )
        section.figures.append(
            Figure(
                _("%(group)s rated good or better") % {"group": r.group.label},
                f"{_n(f.good_or_better)} / {_n(f.rated)} = {percent_text(f.good_or_better_percent)}",
                records(key, good_or_better=1),
                target,
            )
        )
        section.figures.append(
            Figure(
                _("%(group)s rated excellent") % {"group": r.group.label},
                f"{_n(f.excellent)}: {percent_text(f.excellent_of_rated)} / {percent_text(f.excellent_of_good)}",
                records(key, level="excellent"),
                _("of all rated / of those rated good; average over the years compared: %(a)s / %(b)s")
                % {
                    "a": percent_text(r.average_excellent_of_rated),
                    "b": percent_text(r.average_excellent_of_good),
                },
            )
        )
    section.figures.append(
        Figure(
            _("Members not completed two years running"),
            f"{_n(report.not_completed_twice)}",
            records(TargetGroup.MEMBERS, twice=1),
        )
    )
    for key in (TargetGroup.GRASSROOTS, TargetGroup.MEMBERS):
        r = rows[key]
        bars = []
        for i, y in enumerate(report.years):
            fy = r.by_year.get(y)
            if fy is None or not fy.rated:
                continue
            bars.append(
                Bar(
                    label=str(y),
                    value=fy.good_or_better_percent,
                    text=percent_text(fy.good_or_better_percent),
                    url=_url("ratings:records", group=key, year=y, org=org.pk, good_or_better=1),
                    series=i,
                )
            )
        if bars:
            section.charts.append(
                Chart(
                    _("%(group)s rated good or better, by year") % {"group": r.group.label},
                    bars,
                    target=r.target_percent,
                    target_label=_("Congress target"),
                    maximum=Decimal(100),
                )
            )
    return section


def admissions_section(viewer: Any, org: Organisation, year: int, as_of: dt.date) -> Section:
    section = Section("admissions", _("Member development"))
    report = admission_queries.admission_report(viewer=viewer, org=org, year=year, as_of=as_of)
    section.subtitle = str(year)
    common = {"org": org.pk, "year": year}
    section.report_url = _url("admissions:index", **common)
    section.values = {
        "admitted": report.admitted,
        "target": report.target,
        "admitted_of_target_pct": report.of_target,
        "members_at_start_of_year": report.members_at_start,
        "admitted_of_members_pct": report.rate,
        "due_for_recognition": report.due_for_recognition,
        "peer_rank": report.peer_rank,
    }
    section.figures = [
        Figure(
            _("Members admitted"),
            f"{_n(report.admitted)}"
            + (f" / {_n(report.target)} = {percent_text(report.of_target)}" if report.target else ""),
            _url("admissions:drilldown", "admitted", **common),
            _("against the target") if report.target else _("no target recorded"),
        ),
        Figure(
            _("Admitted against members at the start of the year"),
            f"{_n(report.admitted)} / {_n(report.members_at_start)} = {percent_text(report.rate)}",
            _url("admissions:drilldown", "at_start", **common),
        ),
        Figure(
            _("Probationary members due for recognition"),
            f"{_n(report.due_for_recognition)}",
            _url("admissions:drilldown", "due", **common),
        ),
        Figure(
            _("Candidates in progress"), f"{_n(report.candidates_in_progress)}", _url("admissions:candidates")
        ),
    ]
    if report.peer_rank:
        section.figures.append(
            Figure(
                _("Rank among peers (admitted against members)"),
                f"{report.peer_rank} / {report.peer_count}",
                section.report_url,
            )
        )
        rank_chart = peer_rank_chart(report.peers, _("Admitted against members, among peers"))
        if rank_chart is not None:
            section.charts.append(rank_chart)
    trend = []
    years = range(year - ADMISSION_YEARS_SHOWN + 1, year + 1)
    # The earlier years in one grouped query (the report's own figure for ``year``).
    by_year = admission_queries.admitted_by_year(org, years[:-1])
    for i, y in enumerate(years):
        n = report.admitted if y == year else by_year[y]
        trend.append(
            Bar(str(y), n, f"{_n(n)}", _url("admissions:drilldown", "admitted", org=org.pk, year=y), series=i)
        )
    section.charts.append(Chart(_("Members admitted, by year"), trend, unit=""))
    if report.ranking:
        section.charts.append(
            Chart(
                _("Admitted against target, by committee"),
                [
                    Bar(
                        r.organisation.name,
                        r.of_target,
                        percent_text(r.of_target),
                        _url("admissions:index", org=r.organisation.pk, year=year),
                    )
                    for r in report.ranking
                    if r.of_target is not None
                ],
                target=Decimal(100),
                target_label=_("target"),
            )
        )
    return section


def cadres_section(viewer: Any, org: Organisation, since: dt.date, as_of: dt.date) -> Section:
    """Cadre decisions from ``since`` to ``as_of`` (``cadres.queries.cadre_report``)."""
    from serment.cadres import queries as cadre_queries
    from serment.cadres.reports import FIGURE_LABELS

    section = Section("cadres", _("Cadre work"))
    report = cadre_queries.cadre_report(viewer, org=org, start=since, end=as_of)
    section.subtitle = f"{show_date(since)} – {show_date(as_of)}"
    period = {"start": since.isoformat(), "end": as_of.isoformat(), "org": org.code}
    section.report_url = _url("cadres:report", **period)
    section.values = {key: people for key, (people, _decisions) in report.figures.items()}
    for key, (people, decisions) in report.figures.items():
        section.figures.append(
            Figure(
                FIGURE_LABELS[key],
                _n(people),
                _url("cadres:movements", figure=key, **period),
                _("%(n)s decisions") % {"n": _n(decisions)},
            )
        )
    total = len(report.district_secretaries)
    section.values.update(non_local=report.non_local, district_secretaries=total)
    if total:
        section.figures.append(
            Figure(
                _("District secretaries who are not local"),
                f"{_n(report.non_local)} / {_n(total)} = {percent_text(report.non_local_percent)}",
                section.report_url,
            )
        )
    return section


def inspection_section(viewer: Any, org: Organisation, year: int) -> Section:
    """Inspection and discipline of ``year`` (``inspection.reports.inspection_report``);
    only for inspection staff, as the records are confidential (DOMAIN §7)."""
    from serment.inspection import reports as inspection_reports

    section = Section("inspection", _("Inspection and discipline"))
    figures = inspection_reports.inspection_report(viewer, year=year, org=org)
    section.subtitle = str(year)
    section.report_url = _url("inspection:report", year=year, org=org.pk)
    section.values = {f["key"]: f["count"] for f in figures}
    shown = [f for f in figures if f["count"]]
    if not shown:
        section.empty = _("No inspection, discipline or case recorded for this year.")
        return section
    for f in shown:
        label = f"{f['section_label']}: {f['label']}" + (f" ({f['subject']})" if f["subject"] else "")
        section.figures.append(
            Figure(label, _n(f["count"]), _url("inspection:records", figure=f["key"], year=year, org=org.pk))
        )
    return section


# Audit entries that change no record a section reads: a sign-in must not throw away
# every cached dashboard (each admin lands on it right after signing in).
NOT_DATA_CHANGES = ("login", "login.two_factor", "login.failed", "logout", "home.remind", "oath.remind")


def data_version() -> str:
    """A version of all the records: the hash of the last audit entry that changed a
    record. Every change to a record is audited (core.audit), so any change gives a new
    version; the hash, not the id, as ids are reused after a rolled-back transaction.
    One query walking the primary key index back from its end."""
    return (
        AuditEntry.objects.exclude(action__in=NOT_DATA_CHANGES)
        .exclude(action__startswith="export.")  # an export reads
        .order_by("-pk")
        .values_list("chain_hash", flat=True)
        .first()
        or ""
    )


def permission_key(scope: Scope, org: Organisation) -> str:
    """What the viewer's permissions change in a section of ``org``: the permissions
    held on ``org``'s whole subtree, and any grant further down it. Two viewers with the
    same key see the same figures (two administrators of the province share its
    sections; a leader, with other permissions, computes their own)."""
    here = sorted(
        p
        for p in {q for perms in scope.permissions_by_path.values() for q in perms}
        if scope.has(p, org.path)
    )
    below = sorted(
        (path, tuple(sorted(perms)))
        for path, perms in scope.permissions_by_path.items()
        if path != org.path and path.startswith(org.path)
    )
    # A member's own records are visible beside their role's; the reports count the
    # subtree only, but a member's sections are kept apart from everyone else's anyway.
    return hashlib.sha256(repr((here, below, scope.member_id)).encode()).hexdigest()[:24]


@dataclass
class CacheContext:
    """What every cached section of one request shares in its key."""

    version: str
    permissions: str
    language: str

    def key(self, section: str, org: Organisation, *params: Any) -> str:
        text = repr(
            (
                _database(),
                section,
                org.pk,
                org.path,
                [str(p) for p in params],
                self.language,
                self.permissions,
            )
        )
        digest = hashlib.sha256(text.encode()).hexdigest()
        return f"dashboard:{section}:{digest}:{self.version}"


def _database() -> str:
    """Which database the figures come from: two copies of the demo share their audit
    hashes but not their later unaudited changes (a bench, a test run, a restore)."""
    db = connection.settings_dict
    return f"{connection.vendor}:{db.get('HOST', '')}:{db.get('PORT', '')}:{db.get('NAME', '')}"


def cache_context(viewer: Any, org: Organisation) -> CacheContext:
    """The key parts of one request: read once, shared by its sections."""
    return CacheContext(
        version=data_version(),
        permissions=permission_key(scope_for(viewer), org),
        language=get_language() or "",
    )


def _cached(ctx: CacheContext | None, key: str, org: Organisation, params: tuple, build, *args: Any):
    """``build(*args)`` from the cache, else computed and stored. Nothing is stored when
    ``build`` raises."""
    if ctx is None:
        return build(*args)
    cache = caches[CACHE_ALIAS]
    cache_key = ctx.key(key, org, *params)
    found = cache.get(cache_key, _MISSING)
    if found is not _MISSING:
        return found
    value = build(*args)
    cache.set(cache_key, value, CACHE_TIMEOUT)
    return value


_MISSING = object()


def cached_default_year(
    viewer: Any, org: Organisation, as_of: dt.date, *, cache: CacheContext | None = None
) -> int:
    """``default_year`` through the dashboard cache (the same key rules as the sections)."""
    ctx = cache or cache_context(viewer, org)
    return _cached(ctx, "default_year", org, (as_of,), default_year, viewer, org, as_of)


def _guarded(key: str, title: Any, build, *args: Any, cache: CacheContext | None = None, org=None) -> Section:
    """The newer areas' sections: a failure in one area's report is logged and shown
    as such, and does not take the whole first page down with it (and is not cached)."""
    try:
        with transaction.atomic():
            if cache is None:
                return build(*args)
            return _cached(cache, key, org, args[2:], build, *args)
    except DomainError:
        raise
    except Exception:
        logger.exception("dashboard: the %s figures could not be computed", key)
        return Section(key, title, empty=_("These figures could not be computed; the error is logged."))


def dashboard(
    *,
    viewer: Any,
    org: Organisation,
    year: int,
    as_of: dt.date,
    since: dt.date | None = None,
    until: dt.date | None = None,
    use_cache: bool = True,
    cache: CacheContext | None = None,
) -> Dashboard:
    """Every area's figures for ``org``'s subtree: the oath campaign running on
    ``as_of``, the ratings and admissions of ``year``, cadre decisions from ``since``
    (default 1 January of ``year``) to ``until`` (default ``as_of``), inspection of
    ``year``. Cadre work and inspection only for viewers whose role reads them.

    Each section comes from the dashboard cache when it holds it for the same
    organisation, period, language, viewer's permissions and data version (see
    ``CacheContext``); which sections the viewer may see is decided before."""
    scope = scope_for(viewer)
    ctx = (cache or cache_context(viewer, org)) if use_cache else None
    sections = [
        _cached(ctx, "oath", org, (as_of,), oath_section, viewer, org, as_of),
        _cached(ctx, "ratings", org, (year,), ratings_section, viewer, org, year),
        _cached(ctx, "admissions", org, (year, as_of), admissions_section, viewer, org, year, as_of),
    ]
    if scope.has(Perm.READ_CADRES, org.path):
        sections.append(
            _guarded(
                "cadres",
                _("Cadre work"),
                cadres_section,
                viewer,
                org,
                since or dt.date(year, 1, 1),
                until or as_of,
                cache=ctx,
                org=org,
            )
        )
    if scope.has(Perm.INSPECTION, org.path):
        sections.append(
            _guarded(
                "inspection",
                _("Inspection and discipline"),
                inspection_section,
                viewer,
                org,
                year,
                cache=ctx,
                org=org,
            )
        )
    tree = _cached(ctx, "tree", org, (year, as_of), tree_section, viewer, org, year, as_of)
    if tree is not None:
        sections.append(tree)
    return Dashboard(organisation=org, year=year, as_of=as_of, sections=sections)


# --- the map of the tree (home/treemap.py) -----------------------------------------


def tree_section(viewer: Any, org: Organisation, year: int, as_of: dt.date) -> Section | None:
    """The chosen organisation's children as a tree map (None under a cell)."""
    from .treemap import tree_map

    chart = tree_map(viewer=viewer, org=org, year=year, as_of_iso=as_of.isoformat())
    if chart is None:
        return None
    section = Section("tree", _("The organisation tree"), subtitle=str(year))
    section.charts.append(chart)
    section.values = {b.organisation.code: (b.members, b.rated, b.good_or_better) for b in chart.boxes}
    return section
