"""Foundation demo step: the organisation tree and the member register of a
province shaped like Binh Thuan in mid-2023 (docs/demo.md).

The step *generates import files' rows* and feeds them to the same importers
users run, then creates the demo users and a few lifecycle events through the
actions. Every figure a report shows is counted from these records.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

from serment.core.actors import SYSTEM
from serment.core.demo import DEMO_PASSWORD, DemoContext

from .rules import add_months

SNAPSHOT = dt.date(2023, 6, 30)

# The plan of docs/demo.md. Only the generator knows these numbers.
DISTRICTS = [
    "Thành phố Phan Thiết",
    "Thị xã La Gi",
    "Huyện Tuy Phong",
    "Huyện Bắc Bình",
    "Huyện Hàm Thuận Bắc",
    "Huyện Hàm Thuận Nam",
    "Huyện Hàm Tân",
    "Huyện Đức Linh",
    "Huyện Tánh Linh",
    "Huyện Phú Quý",
    "Khối Các cơ quan tỉnh",
    "Khối Doanh nghiệp tỉnh",
    "Quân sự tỉnh",
    "Công an tỉnh",
    "Bộ đội Biên phòng tỉnh",
    "Khối Giáo dục tỉnh",
    "Khối Y tế tỉnh",
    "Trường Chính trị tỉnh",
]
GRASSROOTS_COMMITTEES = 250
GRASSROOTS_CELLS = 230
CELLS_TOTAL = 2618  # member-holding: cells under grassroots committees + grassroots cells
ON_REGISTER_2021 = 38_500
LEFT_BEFORE_2021 = 300
ADMITTED = {2021: 2030, 2022: 2071, 2023: 1050}  # 2023: 1 Jan – 30 Jun
LEFT = {2021: 600, 2022: 650, 2023: 379}
EXEMPT_AT_SNAPSHOT = 2481
TRANSFERRED_OUT_AT_SNAPSHOT = 656

FAMILY = [
    ("Nguyễn", 36),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Huỳnh", 5),
    ("Võ", 5),
    ("Phan", 4),
    ("Trương", 3),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 2),
    ("Lý", 1),
    ("Đinh", 1),
    ("Mai", 1),
    ("Tôn", 1),
    ("Thái", 1),
    ("Châu", 1),
]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Ngọc", "Xuân", "Anh"]
MIDDLE_F = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Hồng", "Bích"]
GIVEN_M = [
    "Hùng",
    "Dũng",
    "Tuấn",
    "Minh",
    "Nam",
    "Long",
    "Phong",
    "Quang",
    "Sơn",
    "Thắng",
    "Trung",
    "Hải",
    "Hoàng",
    "Khánh",
    "Lợi",
    "Phúc",
    "Tài",
    "Thành",
    "Vinh",
    "Bình",
    "Cường",
    "Đạt",
    "Hiếu",
    "Kiên",
    "Lâm",
    "Nhân",
    "Tâm",
    "Toàn",
    "Trí",
    "Việt",
]
GIVEN_F = [
    "Lan",
    "Hoa",
    "Hương",
    "Mai",
    "Linh",
    "Trang",
    "Thảo",
    "Hà",
    "Nga",
    "Hạnh",
    "Hằng",
    "Phương",
    "Dung",
    "Yến",
    "Nhung",
    "Oanh",
    "Thủy",
    "Vân",
    "Loan",
    "Tuyết",
    "Chi",
    "Diễm",
    "Giang",
    "My",
    "Ngân",
    "Quyên",
    "Tâm",
    "Trinh",
    "Uyên",
    "Xuân",
]
ETHNICITY = [("Kinh", 90), ("Chăm", 3), ("Raglai", 2), ("K'Ho", 1), ("Hoa", 2), ("Chơ Ro", 1), ("Tày", 1)]
RELIGION = [("", 80), ("Phật giáo", 10), ("Công giáo", 5), ("Hồi giáo", 2), ("Cao Đài", 2), ("Tin lành", 1)]
THEORY = [("Sơ cấp", 55), ("Trung cấp", 35), ("Cao cấp", 10)]
EDUCATION = [("12/12", 85), ("9/12", 10), ("Đại học", 5)]
LEFT_REASONS = [
    ("deceased", 45),
    ("transferred_away", 25),
    ("struck_off", 18),
    ("resigned", 7),
    ("expelled", 5),
]
DESTINATIONS = [
    "Đảng bộ tỉnh Ninh Thuận",
    "Đảng bộ Thành phố Hồ Chí Minh",
    "Đảng bộ tỉnh Đồng Nai",
    "Đảng bộ tỉnh Lâm Đồng",
    "Học viện Chính trị khu vực II",
    "Đảng bộ tỉnh Bà Rịa - Vũng Tàu",
]


def _weighted(rng, pairs):
    return rng.choices([v for v, _w in pairs], weights=[w for _v, w in pairs])[0]


def _split(rng, total: int, parts: int, minimum: int = 1) -> list[int]:
    """``total`` split into ``parts`` positive counts of varied size, summing exactly."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    spare = total - minimum * parts
    raw = [spare * w / sum(weights) for w in weights]
    counts = [minimum + int(x) for x in raw]
    for i in sorted(range(parts), key=lambda i: raw[i] - int(raw[i]), reverse=True)[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _date_between(rng, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _years_before(day: dt.date, years: int, extra_days: int) -> dt.date:
    try:
        base = day.replace(year=day.year - years)
    except ValueError:
        base = day.replace(year=day.year - years, day=28)
    return base - dt.timedelta(days=extra_days)


def organisation_rows(ctx: DemoContext) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows for the organisation import, and the codes of the member-holding cells."""
    rng = ctx.rng
    rows = [
        {
            "code": "BT",
            "name": "Đảng bộ tỉnh Bình Thuận",
            "kind": "province",
            "parent_code": "",
            "founded_on": dt.date(1930, 2, 3),
        }
    ]
    gc_split = _split(rng, GRASSROOTS_COMMITTEES, len(DISTRICTS))
    gcell_split = _split(rng, GRASSROOTS_CELLS, len(DISTRICTS))
    cell_split = _split(rng, CELLS_TOTAL - GRASSROOTS_CELLS, GRASSROOTS_COMMITTEES, minimum=3)
    cells: list[str] = []
    gc_index = 0
    for d, name in enumerate(DISTRICTS, start=1):
        dcode = f"BT.{d:02d}"
        rows.append(
            {
                "code": dcode,
                "name": f"Đảng bộ {name}",
                "kind": "district_committee",
                "parent_code": "BT",
                "founded_on": "",
            }
        )
        g = 0
        for _ in range(gc_split[d - 1]):
            g += 1
            gcode = f"{dcode}.{g:03d}"
            rows.append(
                {
                    "code": gcode,
                    "name": f"Đảng bộ xã/cơ quan {g} – {name}",
                    "kind": "grassroots_committee",
                    "parent_code": dcode,
                    "founded_on": "",
                }
            )
            for c in range(1, cell_split[gc_index] + 1):
                ccode = f"{gcode}.{c:02d}"
                rows.append(
                    {
                        "code": ccode,
                        "name": f"Chi bộ {c} – Đảng bộ {g} – {name}",
                        "kind": "cell",
                        "parent_code": gcode,
                        "founded_on": "",
                    }
                )
                cells.append(ccode)
            gc_index += 1
        for _ in range(gcell_split[d - 1]):
            g += 1
            gcode = f"{dcode}.{g:03d}"
            rows.append(
                {
                    "code": gcode,
                    "name": f"Chi bộ cơ sở {g} – {name}",
                    "kind": "grassroots_cell",
                    "parent_code": dcode,
                    "founded_on": "",
                }
            )
            cells.append(gcode)
    return rows, cells


class _People:
    """Deterministic people: names, births, identity numbers."""

    def __init__(self, rng):
        self.rng = rng
        self.seq = 0

    def person(self, admitted_on: dt.date, *, min_age: int = 18, max_age: int = 45) -> dict[str, Any]:
        rng = self.rng
        self.seq += 1
        sex = "female" if rng.random() < 0.38 else "male"
        fam = _weighted(rng, FAMILY)
        middle = rng.choice(MIDDLE_F if sex == "female" else MIDDLE_M)
        given = rng.choice(GIVEN_F if sex == "female" else GIVEN_M)
        age = min(max_age, min_age + int(rng.expovariate(1 / 9)))
        born = _years_before(admitted_on, age, rng.randint(1, 360))
        century = (0 if born.year < 2000 else 2) + (1 if sex == "female" else 0)
        return {
            "full_name": f"{fam} {middle} {given}",
            "sex": sex,
            "date_of_birth": born,
            "card_number": f"{48_000_000 + self.seq:08d}",
            "citizen_id": f"060{century}{born.year % 100:02d}{self.seq:06d}",
            "ethnicity": _weighted(rng, ETHNICITY),
            "religion": _weighted(rng, RELIGION),
            "home_town": rng.choice(DISTRICTS[:10]) + ", Bình Thuận",
            "phone": f"09{rng.randint(10_000_000, 99_999_999)}",
            "education_level": _weighted(rng, EDUCATION),
            "theory_level": _weighted(rng, THEORY),
        }


def member_rows(ctx: DemoContext, cells: list[str]) -> Iterator[dict[str, Any]]:
    """Rows for the member import, following the plan of docs/demo.md."""
    rng = ctx.rng
    people = _People(rng)
    cum_weights = list(itertools.accumulate(rng.uniform(0.4, 1.6) for _ in cells))

    def cell() -> str:
        return rng.choices(cells, cum_weights=cum_weights)[0]

    def row(admitted_on: dt.date, **extra) -> dict[str, Any]:
        r = people.person(admitted_on, **{k: extra.pop(k) for k in ("min_age", "max_age") if k in extra})
        # recognised as official when the 12 months of probation end, if before the snapshot
        official = add_months(admitted_on, 12)
        if official > SNAPSHOT:
            official = None
        r.update(
            {
                "admitted_on": admitted_on,
                "official_on": official or "",
                "cell_code": cell(),
                "state": "active",
                "state_since": "",
                "state_until": "",
                "state_reason": "",
                "destination": "",
                "document_ref": "",
            }
        )
        r.update(extra)
        return r

    # Members on the register on 1 January 2021 (some of them leave later).
    leave_years = [y for y, n in LEFT.items() for _ in range(n)]
    base = [
        row(_date_between(rng, dt.date(1975, 1, 1), dt.date(2020, 12, 31))) for _ in range(ON_REGISTER_2021)
    ]
    leavers = rng.sample(range(ON_REGISTER_2021), len(leave_years))
    for idx, year in zip(leavers, leave_years, strict=True):
        r = base[idx]
        end = SNAPSHOT if year == 2023 else dt.date(year, 12, 31)
        _leave(rng, r, _date_between(rng, dt.date(year, 1, 2), end))
    # Exempt and temporarily transferred out on the snapshot date, among those who stay.
    stayers = [i for i in range(ON_REGISTER_2021) if base[i]["state"] == "active"]
    rng.shuffle(stayers)
    old_enough = [i for i in stayers if _over_exemption_age(base[i], dt.date(2022, 6, 1))]
    old_set = set(old_enough)
    others = [i for i in stayers if i not in old_set]
    exempt_age = old_enough[: min(len(old_enough), EXEMPT_AT_SNAPSHOT * 2 // 3)]
    exempt_ill = others[: EXEMPT_AT_SNAPSHOT - len(exempt_age)]
    for i in exempt_age:
        since = _date_between(
            rng, max(_exemption_age_date(base[i]), dt.date(2018, 1, 1)), dt.date(2023, 5, 31)
        )
        base[i].update(state="exempt", state_since=since, state_reason="age")
    for i in exempt_ill:
        since = _date_between(rng, dt.date(2022, 7, 1), dt.date(2023, 5, 31))
        until = max(add_months(since, 4), SNAPSHOT) + dt.timedelta(days=rng.randint(30, 240))
        base[i].update(state="exempt", state_since=since, state_reason="illness", state_until=until)
    rest = others[len(exempt_ill) :]
    for i in rest[:TRANSFERRED_OUT_AT_SNAPSHOT]:
        since = _date_between(rng, dt.date(2022, 10, 1), dt.date(2023, 3, 31))
        training = rng.random() < 0.3
        # still away on the snapshot date: the planned return is after it
        needed = (SNAPSHOT.year - since.year) * 12 + SNAPSHOT.month - since.month + 1
        months = rng.randint(max(4, needed), 20 if training else 11)
        base[i].update(
            state="transferred_out",
            state_since=since,
            state_reason="training" if training else "work",
            state_until=add_months(since, months) - dt.timedelta(days=1),
            destination=rng.choice(DESTINATIONS),
        )
    yield from base
    # Members who left before 2021: history only.
    for _ in range(LEFT_BEFORE_2021):
        r = row(_date_between(rng, dt.date(1970, 1, 1), dt.date(2005, 12, 31)))
        _leave(rng, r, _date_between(rng, dt.date(2015, 1, 1), dt.date(2020, 12, 31)))
        yield r
    # Admissions of 2021, 2022 and the first half of 2023.
    for year, n in ADMITTED.items():
        end = SNAPSHOT if year == 2023 else dt.date(year, 12, 31)
        for _ in range(n):
            yield row(_date_between(rng, dt.date(year, 1, 2), end), max_age=35)


def _leave(rng, r: dict[str, Any], on: dt.date) -> None:
    on = max(on, r["admitted_on"] + dt.timedelta(days=30))
    reason = _weighted(rng, LEFT_REASONS)
    if r["official_on"] and r["official_on"] > on:
        r["official_on"] = ""
    r.update(
        state="left",
        state_since=on,
        state_reason=reason,
        state_until="",
        destination=rng.choice(DESTINATIONS) if reason == "transferred_away" else "",
        document_ref=f"{rng.randint(1, 999)}-QĐ/HU" if reason in ("expelled", "struck_off") else "",
    )


def _exemption_age_date(r: dict[str, Any]) -> dt.date:
    years = 56 if r["sex"] == "female" else 61  # over 55 / over 60 (members.rules)
    return (
        r["date_of_birth"].replace(year=r["date_of_birth"].year + years)
        if not (r["date_of_birth"].month == 2 and r["date_of_birth"].day == 29)
        else dt.date(r["date_of_birth"].year + years, 3, 1)
    )


def _over_exemption_age(r: dict[str, Any], by_day: dt.date) -> bool:
    return _exemption_age_date(r) <= by_day


def _numbered(rows) -> list[tuple[int, dict[str, Any]]]:
    return [(n, r) for n, r in enumerate(rows, start=2)]


def _fail_on(report, what: str) -> None:
    if not report.ok:
        lines = "\n".join(f"  line {e.row} [{e.column}] {e.message}" for e in report.errors[:20])
        raise RuntimeError(f"demo {what} import refused ({len(report.errors)} errors):\n{lines}")


def build(ctx: DemoContext) -> None:
    from serment.accounts.actions import create_user, grant_role, link_account
    from serment.members import actions as member_actions
    from serment.members.importers import import_member_rows
    from serment.members.models import Member
    from serment.organisations.importers import import_organisation_rows
    from serment.organisations.models import Organisation

    org_rows, cells = organisation_rows(ctx)
    report = import_organisation_rows(by=SYSTEM, rows=_numbered(org_rows), dry_run=False)
    _fail_on(report, "organisation")
    ctx.log(f"  {report.created} organisations imported")
    report = import_member_rows(by=SYSTEM, rows=_numbered(member_rows(ctx, cells)), dry_run=False)
    _fail_on(report, "member")
    ctx.log(f"  {report.created} members imported")
    ctx.province = Organisation.objects.get(code="BT")

    # A few internal transfers in 2023, through the action, for members' histories.
    rng = ctx.rng
    movers = list(
        Member.objects.filter(
            state="active", organisation__kind="cell", admitted_on__lt=dt.date(2022, 1, 1)
        ).order_by("pk")[:4000:100]
    )
    for m in movers:
        siblings = list(
            Organisation.objects.filter(parent_id=m.organisation.parent_id, kind="cell")
            .exclude(pk=m.organisation_id)
            .order_by("code")[:1]
        )
        if siblings:
            member_actions.transfer_member(
                by=SYSTEM,
                member=m,
                to=siblings[0],
                internal=True,
                on=_date_between(rng, dt.date(2023, 1, 5), dt.date(2023, 2, 28)),
                reason="Chuyển nơi cư trú",
            )

    # Demo users.
    district = Organisation.objects.get(code="BT.01")
    grassroots = (
        Organisation.objects.filter(parent=district, kind="grassroots_committee").order_by("code").first()
    )
    cell = Organisation.objects.filter(parent=grassroots, kind="cell").order_by("code").first()
    start = dt.date(2020, 10, 1)
    for username, org, role, what in (
        ("admin", ctx.province, "admin", "administrator of the provincial committee"),
        ("leader", ctx.province, "leader", "leader (read-only) of the provincial committee"),
        ("district", district, "org_staff", f"organisation staff of {district.name}"),
        ("inspector", district, "inspection_staff", f"inspection staff of {district.name}"),
        ("grassroots", grassroots, "org_staff", f"organisation staff of {grassroots.name}"),
        ("secretary", cell, "secretary", f"secretary of {cell.name}"),
    ):
        # no full name: the English description of the role would greet a French or
        # Vietnamese reader ("Bienvenue, secretary of …"); the page shows the user name
        user = create_user(by=SYSTEM, username=username, password=DEMO_PASSWORD)
        grant_role(by=SYSTEM, user=user, organisation=org, role=role, starts_on=start)
        ctx.users[username] = what
    member = Member.objects.filter(organisation=cell, state="active").order_by("pk").first()
    user = create_user(by=SYSTEM, username="member", password=DEMO_PASSWORD, full_name=member.full_name)
    link_account(by=SYSTEM, member=member, user=user, consent_ref="demo", consent_on=start)
    ctx.users["member"] = f"{member.full_name}, member of {cell.name}"
    ctx.data.update(cells=cells, district=district, grassroots=grassroots, cell=cell)
