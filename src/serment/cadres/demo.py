"""Demo step for cadre work (docs/demo.md, "Cadre work").

Gives every organisation of the demo province a secretary (and the committees their
deputies and standing members, the provincial committee its department heads), by
feeding rows to the posts import; then records, through the movement import and
the planning actions, the decisions behind the article's figures for 1 Oct 2020 –
31 May 2023: 98 cadres transferred, appointed or nominated to posts under the
provincial standing committee or above, 2 key leaders removed or proposed for
removal, 3 heads of provincial departments moved, 7 provincial department leaders
made non-local district secretaries. Only this generator knows these numbers; the
report counts the records. Runs before the ratings step, so that leaders and
leadership collectives have subjects.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from serment.core.actors import SYSTEM
from serment.core.demo import DemoContext

CELL_CONGRESS = dt.date(2020, 6, 15)
GRASSROOTS_CONGRESS = dt.date(2020, 7, 15)
DISTRICT_CONGRESS = dt.date(2020, 9, 20)
PROVINCIAL_CONGRESS = dt.date(2020, 10, 15)
DEPARTMENTS_APPOINTED = dt.date(2018, 3, 1)
SETTLED = dt.date(2018, 1, 1)
DEPARTMENTS = [
    "Ban Tổ chức Tỉnh ủy",
    "Ban Tuyên giáo Tỉnh ủy",
    "Ban Dân vận Tỉnh ủy",
    "Ban Nội chính Tỉnh ủy",
    "Ủy ban Kiểm tra Tỉnh ủy",
    "Văn phòng Tỉnh ủy",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Kế hoạch và Đầu tư",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Công Thương",
    "Sở Tài nguyên và Môi trường",
]
NEW_DEPARTMENTS = [
    "Sở Giao thông vận tải",
    "Sở Xây dựng",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Khoa học và Công nghệ",
    "Sở Thông tin và Truyền thông",
    "Sở Tư pháp",
    "Thanh tra tỉnh",
    "Ban Dân tộc tỉnh",
    "Sở Ngoại vụ",
]
STANDING = "Ban Thường vụ Tỉnh ủy"
PROVINCE_BODY = "Ban Thường vụ Tỉnh ủy Bình Thuận"


def _d(day: dt.date) -> str:
    return day.isoformat()


class _Pool:
    """Active official members by cell, handed out once each, deterministically."""

    def __init__(self, province):
        from serment.members.models import Member

        rows = (
            # official members in their present cell since before any post the demo gives
            Member.objects.filter(
                state="active",
                official_on__lt=SETTLED,
                organisation__path__subtree=province.path,
                memberships__ends_on__isnull=True,
                memberships__starts_on__lt=SETTLED,
            )
            .order_by("pk")
            .values_list("pk", "card_number", "organisation__path", "date_of_birth", "sex", "home_town")
        )
        self.by_path: dict[str, list[tuple]] = defaultdict(list)
        for row in rows:
            self.by_path[row[2]].append(row)
        self.used: set[int] = set()
        self.homes = {row[1]: (row[5] or "").casefold() for rows_ in self.by_path.values() for row in rows_}

    def home(self, card: str) -> str:
        return self.homes.get(card, "")

    def take(
        self, path_prefix: str, *, born_after: dt.date | None = None, skip_home: str = ""
    ) -> tuple | None:
        for path in sorted(p for p in self.by_path if p.startswith(path_prefix)):
            for row in self.by_path[path]:
                if row[0] in self.used:
                    continue
                if born_after and row[3] <= born_after:
                    continue
                if skip_home and skip_home in (row[5] or "").casefold():
                    continue
                self.used.add(row[0])
                return row
        return None

    def card(self, path_prefix: str, **kw) -> str:
        row = self.take(path_prefix, **kw)
        if row is None:
            raise RuntimeError(f"demo cadres: no member left under {path_prefix}")
        return row[1]


def _fail_on(report, what: str) -> None:
    if not report.ok:
        lines = "\n".join(f"  line {e.row} [{e.column}] {e.message}" for e in report.errors[:20])
        raise RuntimeError(f"demo {what} import refused ({len(report.errors)} errors):\n{lines}")


def _numbered(rows: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    return [(n, r) for n, r in enumerate(rows, start=2)]


def _post(card, org, post, on, how, title="") -> dict[str, Any]:
    return {
        "card_number": card,
        "organisation_code": org.code,
        "post": post,
        "starts_on": _d(on),
        "title": title,
        "began_how": how,
    }


def _bloc(districts):
    """The committee of the provincial agencies (where provincial department staff are members)."""
    for d in districts:
        if "cơ quan tỉnh" in d.name.casefold():
            return d
    return districts[-1]


def post_rows(ctx: DemoContext, pool: _Pool, orgs, districts, bloc) -> tuple[list[dict[str, Any]], dict]:
    """Secretaries of every organisation; deputies and standing members of committees;
    department heads and deputies of the provincial committee."""
    province = ctx.province
    rows: list[dict[str, Any]] = []
    people: dict[str, Any] = defaultdict(list)
    for org in orgs:
        if org.kind in ("cell", "grassroots_cell"):
            row = pool.take(org.path)
            if row:
                rows.append(_post(row[1], org, "secretary", CELL_CONGRESS, "election"))
        elif org.kind in ("grassroots_committee", "sub_committee"):
            for post in ("secretary", "deputy_secretary"):
                row = pool.take(org.path)
                if row:
                    rows.append(_post(row[1], org, post, GRASSROOTS_CONGRESS, "election"))
    for district in districts:
        for post, n in (("secretary", 1), ("deputy_secretary", 2), ("standing_member", 4)):
            for _ in range(n):
                card = pool.card(district.path)
                rows.append(_post(card, district, post, DISTRICT_CONGRESS, "election"))
                people[(district.code, post)].append(card)
    for post, n in (("secretary", 1), ("deputy_secretary", 3), ("standing_member", 10)):
        for _ in range(n):
            card = pool.card(bloc.path)
            rows.append(_post(card, province, post, PROVINCIAL_CONGRESS, "election"))
            people[(province.code, post)].append(card)
    for name in DEPARTMENTS:
        for post, title in (("department_head", f"Trưởng {name}"), ("deputy_head", f"Phó {name}")):
            card = pool.card(bloc.path, born_after=dt.date(1962, 12, 31))
            rows.append(_post(card, province, post, DEPARTMENTS_APPOINTED, "appointment", title))
            people[post].append((card, name))
    return rows, people


def _move(
    card, kind, on, ref, org=None, post="", *, from_org=None, from_post="", level="provincial", **extra
):
    row = {
        "card_number": card,
        "kind": kind,
        "document_ref": ref,
        "decided_on": _d(on),
        "deciding_body": PROVINCE_BODY
        if level == "provincial"
        else extra.pop("body", "Ban Thường vụ Huyện ủy"),
        "deciding_level": level,
        "organisation_code": org.code if org else "",
        "post": post,
        "from_organisation_code": from_org.code if from_org else "",
        "from_post": from_post,
    }
    row.update(extra)
    return row


def movement_rows(ctx: DemoContext, pool: _Pool, people, districts, bloc) -> list[dict[str, Any]]:
    """The decisions of the term, in the order they were taken."""
    from serment.cadres.queries import place_name

    province = ctx.province
    rows: list[dict[str, Any]] = []
    seq = iter(range(100, 1000))

    def ref() -> str:
        return f"{next(seq)}-QĐ/TU"

    def day(i: int, start=dt.date(2020, 11, 2), span=900) -> dt.date:
        return start + dt.timedelta(days=(i * 37) % span)

    heads = list(people["department_head"])
    deputies = list(people["deputy_head"])
    # 7 provincial department leaders become secretaries of districts they are not
    # from; each outgoing secretary takes the department post (both decisions count).
    targets = [d for d in districts if d != bloc]
    swapped = 0
    for district in targets:
        if swapped == 7:
            break
        place = place_name(district)
        pick = next((c for c in deputies if place not in pool.home(c[0])), None)
        if pick is None:
            continue
        deputies.remove(pick)
        card, dept = pick
        on = day(swapped * 3, dt.date(2021, 3, 1), 500)
        outgoing = people[(district.code, "secretary")][0]
        rows.append(
            _move(
                outgoing,
                "transfer",
                on,
                ref(),
                province,
                "deputy_head",
                from_org=district,
                from_post="secretary",
                title=f"Phó {dept}",
            )
        )
        rows.append(
            _move(
                card,
                "rotation",
                on,
                ref(),
                district,
                "secretary",
                from_org=province,
                from_post="deputy_head",
                title="Bí thư",
            )
        )
        swapped += 1
    # 3 heads of provincial departments moved to other work, and their successors.
    for i in range(3):
        card, dept = heads.pop(0)
        on = day(i, dt.date(2021, 9, 1), 400)
        rows.append(
            _move(
                card,
                "transfer",
                on,
                ref(),
                province,
                "other",
                from_org=province,
                from_post="department_head",
                title="Chuyên viên cao cấp Văn phòng Tỉnh ủy",
            )
        )
        successor, _dept = deputies.pop(0)
        rows.append(
            _move(
                successor,
                "appointment",
                on + dt.timedelta(days=7),
                ref(),
                province,
                "department_head",
                from_org=province,
                from_post="deputy_head",
                title=f"Trưởng {dept}",
            )
        )
    # 10 department heads reappointed after five years.
    for i, (card, dept) in enumerate(heads[:10]):
        rows.append(
            _move(
                card,
                "reappointment",
                dt.date(2023, 2, 20) + dt.timedelta(days=i * 3),
                ref(),
                province,
                "department_head",
                from_org=province,
                from_post="department_head",
                title=f"Trưởng {dept}",
            )
        )
    # 30 deputy heads appointed to new departments' posts.
    for i in range(30):
        card = pool.card(bloc.path if i % 2 else "", born_after=dt.date(1970, 12, 31))
        rows.append(
            _move(
                card,
                "appointment",
                day(i, dt.date(2020, 12, 1)),
                ref(),
                province,
                "deputy_head",
                title=f"Phó {NEW_DEPARTMENTS[i % len(NEW_DEPARTMENTS)]}",
            )
        )
    # 20 district standing members appointed, 18 nominated for deputy secretary.
    for i in range(20):
        district = districts[i % len(districts)]
        rows.append(
            _move(pool.card(district.path), "appointment", day(i + 40), ref(), district, "standing_member")
        )
    for i in range(18):
        district = districts[i % len(districts)]
        rows.append(
            _move(
                pool.card(district.path),
                "nomination",
                day(i + 70, dt.date(2021, 2, 1), 800),
                ref(),
                district,
                "deputy_secretary",
            )
        )
    # Two key leaders: a district deputy secretary dismissed, a provincial deputy
    # secretary proposed to the Central Committee for removal (after discipline).
    district = targets[-1]
    rows.append(
        _move(
            people[(district.code, "deputy_secretary")][1],
            "dismissal",
            dt.date(2023, 2, 20),
            ref(),
            from_org=district,
            from_post="deputy_secretary",
            grounds="discipline",
        )
    )
    rows.append(
        _move(
            people[(province.code, "deputy_secretary")][2],
            "removal_proposed",
            dt.date(2023, 3, 20),
            ref(),
            from_org=province,
            from_post="deputy_secretary",
            grounds="discipline",
        )
    )
    # Outside the figures: grassroots posts under the districts, and provincial
    # decisions before and after the period.
    for i in range(25):
        district = districts[i % len(districts)]
        org = next(
            (
                o
                for o in ctx.data["cadre_orgs"]
                if o.kind == "grassroots_committee" and o.path.startswith(district.path)
            ),
            None,
        )
        if org is None:
            continue
        rows.append(
            _move(
                pool.card(org.path),
                "appointment",
                day(i, dt.date(2021, 4, 1), 700),
                f"{i + 1}-QĐ/HU",
                org,
                "committee_member",
                level="district",
                body=f"Ban Thường vụ {district.name}",
            )
        )
    for on in (dt.date(2020, 8, 20), dt.date(2023, 6, 15), dt.date(2023, 6, 20)):
        rows.append(
            _move(
                pool.card(bloc.path),
                "appointment",
                on,
                ref(),
                province,
                "deputy_head",
                title="Phó Chánh Văn phòng Tỉnh ủy",
            )
        )
    return rows


def build(ctx: DemoContext) -> None:
    from serment.cadres import actions
    from serment.cadres.importers import import_movement_rows, import_post_rows
    from serment.inspection.actions import record_discipline
    from serment.members.models import Member, PostHolding
    from serment.organisations.models import Organisation

    province = ctx.province
    orgs = list(
        Organisation.objects.filter(path__subtree=province.path).exclude(pk=province.pk).order_by("path")
    )
    districts = [o for o in orgs if o.kind == "district_committee"]
    ctx.data["cadre_orgs"] = orgs
    bloc = _bloc(districts)
    pool = _Pool(province)

    rows, people = post_rows(ctx, pool, orgs, districts, bloc)
    report = import_post_rows(by=SYSTEM, rows=_numbered(rows), dry_run=False)
    _fail_on(report, "posts")
    ctx.log(f"  {report.created} posts held imported")

    # The two key leaders were disciplined before the decisions about them.
    key_district = [d for d in districts if d != bloc][-1]
    for code, card_index, on, body in (
        # dated 2023, after the rating years the ratings step decides (2020–2022)
        (key_district.code, 1, dt.date(2023, 1, 10), "Ủy ban Kiểm tra Tỉnh ủy"),
        (province.code, 2, dt.date(2023, 2, 15), "Ủy ban Kiểm tra Trung ương"),
    ):
        card = people[(code, "deputy_secretary")][card_index]
        record_discipline(
            by=SYSTEM,
            member=Member.objects.get(card_number=card),
            form="warning",
            decided_on=on,
            deciding_body=body,
            document_ref=f"{on.day}-QĐ/UBKT",
        )

    report = import_movement_rows(
        by=SYSTEM, rows=_numbered(movement_rows(ctx, pool, people, districts, bloc)), dry_run=False
    )
    _fail_on(report, "movements")
    ctx.log(f"  {report.created} cadre decisions imported")

    # Planning for the 2025–2030 term, decided in June 2022, reviewed in March 2023.
    planned = []
    for org in [province, *districts]:
        for post, n in (("secretary", 2), ("deputy_secretary", 3)):
            for _ in range(n):
                row = pool.take(org.path if org != province else bloc.path, born_after=dt.date(1972, 12, 31))
                if row is None:
                    continue
                member = Member.objects.get(pk=row[0])
                planned.append(
                    actions.add_to_planning(
                        by=SYSTEM,
                        member=member,
                        organisation=org,
                        post=post,
                        term_start=2025,
                        on=dt.date(2022, 6, 10),
                        document_ref="1250-QĐ/TU",
                    )
                )
    for entry in planned[: len(planned) // 20]:
        actions.remove_from_planning(
            by=SYSTEM,
            entry=entry,
            on=dt.date(2023, 3, 15),
            reason="Rà soát quy hoạch năm 2023: chuyển công tác khác",
        )
    ctx.log(f"  {len(planned)} people planned for 2025–2030")
    ctx.data["cadre_posts"] = PostHolding.objects.filter(ends_on__isnull=True).count()
    del ctx.data["cadre_orgs"]
