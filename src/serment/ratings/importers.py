"""Import of past years' decided ratings (docs/import-formats/ratings.md, generated from
``RATING_COLUMNS``). Discipline decisions are imported by ``serment.inspection.importers``.

All-or-nothing: every row is checked (columns, references, scope, the rating rules
of its year counted with what is already recorded) before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core.actors import Actor
from serment.core.errors import DomainError
from serment.core.imports import (
    CHOICE,
    CODE,
    DATE,
    DECIMAL,
    NUMBER,
    Column,
    ImportKind,
    ImportReport,
    RowError,
    cell_text,
    normalise_header,
    parse_date,
    read_and_run,
    run_import,
)
from serment.core.roles import Perm
from serment.core.scoping import SYSTEM, scope_for
from serment.members.models import Member, Membership
from serment.organisations.models import Organisation

from . import actions
from .policies import Level, SubjectKind

SUBJECTS = {
    **{v: v for v in SubjectKind.values},
    "dang_vien": SubjectKind.MEMBER,
    "to_chuc": SubjectKind.ORGANISATION,
    "to_chuc_dang": SubjectKind.ORGANISATION,
    "tap_the_lanh_dao": SubjectKind.COLLECTIVE,
    "tap_the": SubjectKind.COLLECTIVE,
    "ca_nhan_lanh_dao": SubjectKind.LEADER,
    "lanh_dao_quan_ly": SubjectKind.LEADER,
}
LEVELS = {
    **{v: v for v in Level.values},
    "htxsnv": Level.EXCELLENT,
    "hoan_thanh_xuat_sac_nhiem_vu": Level.EXCELLENT,
    "httnv": Level.GOOD,
    "hoan_thanh_tot_nhiem_vu": Level.GOOD,
    "htnv": Level.COMPLETED,
    "hoan_thanh_nhiem_vu": Level.COMPLETED,
    "khtnv": Level.NOT_COMPLETED,
    "khong_hoan_thanh_nhiem_vu": Level.NOT_COMPLETED,
}
FORMS = {
    "reprimand": "reprimand",
    "khien_trach": "reprimand",
    "warning": "warning",
    "canh_cao": "warning",
    "dismissal": "dismissal",
    "cach_chuc": "dismissal",
    "expulsion": "expulsion",
    "khai_tru": "expulsion",
    "dissolution": "dissolution",
    "giai_tan": "dissolution",
}
YES = {"yes", "y", "x", "1", "true", "co", "oui"}
NO = {"no", "n", "0", "false", "khong", "non", ""}

RATING_COLUMNS = (
    Column("year", ("nam", "Năm"), required=True, format=NUMBER),
    Column(
        "subject",
        ("doi_tuong", "Đối tượng"),
        required=True,
        format=CHOICE,
        choices=SUBJECTS,
        choice_help=", ".join(SubjectKind.values)
        + "; đảng viên, tổ chức đảng, tập thể lãnh đạo, cá nhân lãnh đạo",
    ),
    Column(
        "card_number",
        ("so_the_dang", "Số thẻ đảng"),
        format=CODE,
        max_length=20,
        help=gettext_lazy("required for a member or a leader"),
    ),
    Column(
        "org_code",
        ("ma_to_chuc", "Mã tổ chức"),
        format=CODE,
        max_length=40,
        help=gettext_lazy("required unless the subject is a member (then: their cell on 31 December)"),
    ),
    Column(
        "level",
        ("xep_loai", "Xếp loại"),
        required=True,
        format=CHOICE,
        choices=LEVELS,
        choice_help=", ".join(Level.values) + "; HTXSNV, HTTNV, HTNV, KHTNV",
    ),
    Column(
        "decided_by_code", ("cap_quyet_dinh", "Cấp quyết định"), required=True, format=CODE, max_length=40
    ),
    Column("decided_on", ("ngay_quyet_dinh", "Ngày quyết định"), required=True, format=DATE),
    Column("post", ("chuc_vu", "Chức vụ"), max_length=30),
    Column("score", ("diem", "Điểm"), format=DECIMAL, help=gettext_lazy("0 to 100")),
)


def _choice(value: Any, table: dict[str, str], field: str, what: str) -> str:
    key = normalise_header(cell_text(value))
    if key not in table:
        raise DomainError(_("Unknown %(what)s “%(v)s”.") % {"what": what, "v": cell_text(value)}, field=field)
    return table[key]


def _date(value: Any, field: str) -> dt.date:
    try:
        day = parse_date(value)
    except ValueError as exc:
        raise DomainError(str(exc), field=field) from exc
    if day is None:
        raise DomainError(_("A date is required."), field=field)
    return day


def _year(value: Any) -> int:
    text = cell_text(value)
    if not text.isdigit() or not (1990 <= int(text) <= 2100):
        raise DomainError(_("“%(v)s” is not a year.") % {"v": text}, field="year")
    return int(text)


def _score(value: Any) -> Decimal | None:
    text = cell_text(value).replace(",", ".")
    if not text:
        return None
    try:
        score = Decimal(text)
    except InvalidOperation as exc:
        raise DomainError(_("“%(v)s” is not a score.") % {"v": text}, field="score") from exc
    if not (0 <= score <= 100):
        raise DomainError(_("The score is between 0 and 100."), field="score")
    return score


def validate_rating_row(_line: int, v: dict[str, Any]) -> dict[str, Any]:
    year = _year(v.get("year"))
    subject = _choice(v.get("subject"), SUBJECTS, "subject", _("subject"))
    card = cell_text(v.get("card_number"))
    org_code = cell_text(v.get("org_code"))
    if subject in (SubjectKind.MEMBER, SubjectKind.LEADER) and not card:
        raise DomainError(_("A member's Party card number is required."), field="card_number")
    if subject != SubjectKind.MEMBER and not org_code:
        raise DomainError(_("The organisation's code is required."), field="org_code")
    decided_on = _date(v.get("decided_on"), "decided_on")
    if decided_on.year not in (year, year + 1):
        raise DomainError(
            _("A rating of %(year)s is decided in %(year)s or early the year after.") % {"year": year},
            field="decided_on",
        )
    return {
        "year": year,
        "subject": subject,
        "card": card,
        "org_code": org_code,
        "level": _choice(v.get("level"), LEVELS, "level", _("level")),
        "committee_code": cell_text(v.get("decided_by_code")),
        "decided_on": decided_on,
        "post": cell_text(v.get("post"))[:30],
        "score": _score(v.get("score")),
    }


class _RatingResolver:
    """Bulk look-ups for the whole file (a few queries, none per row)."""

    def __init__(self, by: Actor, parsed: list[tuple[int, dict[str, Any]]]):
        self.by = by
        codes = {p["org_code"] for _l, p in parsed} | {p["committee_code"] for _l, p in parsed}
        self.orgs = {o.code: o for o in Organisation.objects.filter(code__in=codes - {""})}
        cards = {p["card"] for _l, p in parsed if p["card"]}
        self.members: dict[str, int] = {}
        card_list = sorted(cards)
        for start in range(0, len(card_list), 5000):
            self.members.update(
                Member.objects.filter(card_number__in=card_list[start : start + 5000]).values_list(
                    "card_number", "pk"
                )
            )
        self.cells: dict[tuple[int, int], int] = {}
        for year in {
            p["year"] for _l, p in parsed if p["subject"] == SubjectKind.MEMBER and not p["org_code"]
        }:
            day = dt.date(year, 12, 31)
            periods = (
                Membership.objects.filter(starts_on__lte=day)
                .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day))
                .order_by("starts_on")
                .values_list("member_id", "organisation_id")
            )
            for member_id, cell_id in periods:
                self.cells[(year, member_id)] = cell_id
        self.scope = scope_for(by)

    def may_rate(self, org: Organisation) -> bool:
        return self.by is SYSTEM or self.scope.has(Perm.RATE, org.path)


def resolve_ratings(by: Actor, parsed: list[tuple[int, dict[str, Any]]]):
    """``(errors, PastRating rows in file order)``."""
    resolver = _RatingResolver(by, parsed)
    errors: list[RowError] = []
    resolved: list[tuple[int, actions.PastRating]] = []
    seen: dict[tuple, int] = {}
    for line, p in parsed:
        committee = resolver.orgs.get(p["committee_code"])
        if committee is None:
            errors.append(
                RowError(
                    line,
                    "decided_by_code",
                    _("No organisation with code “%(c)s”.") % {"c": p["committee_code"]},
                )
            )
            continue
        if not resolver.may_rate(committee):
            errors.append(RowError(line, "decided_by_code", _("Your role does not allow this here.")))
            continue
        member_id = None
        if p["card"]:
            member_id = resolver.members.get(p["card"])
            if member_id is None:
                errors.append(
                    RowError(line, "card_number", _("No member with card number “%(c)s”.") % {"c": p["card"]})
                )
                continue
        if p["org_code"]:
            org = resolver.orgs.get(p["org_code"])
            if org is None:
                errors.append(
                    RowError(line, "org_code", _("No organisation with code “%(c)s”.") % {"c": p["org_code"]})
                )
                continue
            org_id, org_path = org.pk, org.path
        else:
            org_id = resolver.cells.get((p["year"], member_id))
            if org_id is None:
                errors.append(
                    RowError(
                        line,
                        "card_number",
                        _("The member was in no cell on 31 December %(y)s.") % {"y": p["year"]},
                    )
                )
                continue
            org_path = None
        if org_path is not None and (
            not org_path.startswith(committee.path)
            or org_id == committee.pk
            and p["subject"] == SubjectKind.ORGANISATION
        ):
            errors.append(
                RowError(
                    line,
                    "org_code",
                    _("%(org)s is not under %(c)s.") % {"org": p["org_code"], "c": committee.code},
                )
            )
            continue
        key = (p["year"], p["subject"], member_id, org_id if p["subject"] != SubjectKind.MEMBER else None)
        if key in seen:
            errors.append(RowError(line, "", _("The same rating is on line %(n)d.") % {"n": seen[key]}))
            continue
        seen[key] = line
        resolved.append(
            (
                line,
                actions.PastRating(
                    year=p["year"],
                    subject_kind=p["subject"],
                    organisation_id=org_id,
                    committee_id=committee.pk,
                    level=p["level"],
                    decided_on=p["decided_on"],
                    member_id=member_id,
                    post=p["post"],
                    score=p["score"],
                ),
            )
        )
    return errors, resolved


def _already_recorded(resolved: list[tuple[int, actions.PastRating]]) -> list[RowError]:
    from .models import Rating

    years = {r.year for _l, r in resolved}
    existing = set()
    for kind, member_id, org_id, year in Rating.objects.filter(year__in=years).values_list(
        "subject_kind", "member_id", "organisation_id", "year"
    ):
        existing.add((year, kind, member_id, org_id if kind != SubjectKind.MEMBER else None))
    errors = []
    for line, r in resolved:
        key = (
            r.year,
            r.subject_kind,
            r.member_id,
            r.organisation_id if r.subject_kind != SubjectKind.MEMBER else None,
        )
        if key in existing:
            errors.append(RowError(line, "", _("This subject is already rated for %(y)s.") % {"y": r.year}))
    return errors


def import_rating_rows(*, by: Actor, rows, dry_run: bool, target: Any = None) -> ImportReport:
    """Validate and (unless a dry run) import decided ratings, all or nothing."""
    state: dict[str, list] = {}

    def check_all(parsed):
        errors, resolved = resolve_ratings(by, parsed)
        state["resolved"] = resolved
        if errors:
            return errors
        errors = _already_recorded(resolved)
        if errors:
            return errors
        rows_only = [r for _l, r in resolved]
        for index, refusal in actions.check_past_ratings(rows_only):
            errors.append(RowError(resolved[index][0], "level", refusal.message))
        return errors

    report = run_import(
        rows=rows,
        columns=RATING_COLUMNS,
        validate=validate_rating_row,
        apply=lambda _parsed: actions.import_past_ratings(by=by, rows=[r for _l, r in state["resolved"]]),
        dry_run=dry_run,
        check_all=check_all,
    )
    if report.ok:
        report.breakdown = dict(Counter(r.subject_kind for _l, r in state.get("resolved", [])))
    return report


RATING_KIND = ImportKind(
    name="ratings",
    label=gettext_lazy("Decided quality ratings of past years"),
    columns=RATING_COLUMNS,
    perm=Perm.RATE,
    run=import_rating_rows,
    help=gettext_lazy(
        "One row per decided rating: of a member, an organisation, a leading collective or a leader. "
        "The rules of the rating's year (quotas included) apply, counted with what is already recorded."
    ),
    result_url=lambda _target: reverse("ratings:report"),
    example={
        "year": "2022",
        "subject": "member",
        "card_number": "48000001",
        "level": "HTTNV",
        "decided_by_code": "BT.01",
        "decided_on": "2022-12-20",
    },
    order=50,
)


def import_rating_file(*, by: Actor, data: bytes, filename: str, dry_run: bool) -> ImportReport:
    return read_and_run(RATING_KIND, by=by, data=data, filename=filename, dry_run=dry_run)


KINDS = (RATING_KIND,)
