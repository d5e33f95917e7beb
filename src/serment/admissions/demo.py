"""Demo step for member development (docs/demo.md, docs/admissions.md).

Runs after the base demo, which holds the members admitted in 2021 and 2022 and the
register at the start of each year. This step imports, through the importers users
run, the yearly targets (province and the committees under it) and a table of
published figures of the 66 other committees directly under the Central Committee;
then it moves a handful of current candidates through the admission steps with the
actions. The reports count everything from these records; nothing here is a total.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from serment.core.actors import SYSTEM
from serment.core.demo import DemoContext
from serment.core.reporting import percent

SNAPSHOT = dt.date(2023, 6, 30)
PROVINCE_TARGETS = {2021: 2000, 2022: 2000, 2023: 2100}
PEERS_ABOVE = 2  # the article: Binh Thuan ranks 3rd of 67

PEERS = [
    "Thành ủy Hà Nội",
    "Thành ủy Thành phố Hồ Chí Minh",
    "Thành ủy Hải Phòng",
    "Thành ủy Đà Nẵng",
    "Thành ủy Cần Thơ",
    "Tỉnh ủy Hà Giang",
    "Tỉnh ủy Cao Bằng",
    "Tỉnh ủy Bắc Kạn",
    "Tỉnh ủy Tuyên Quang",
    "Tỉnh ủy Lào Cai",
    "Tỉnh ủy Điện Biên",
    "Tỉnh ủy Lai Châu",
    "Tỉnh ủy Sơn La",
    "Tỉnh ủy Yên Bái",
    "Tỉnh ủy Hòa Bình",
    "Tỉnh ủy Thái Nguyên",
    "Tỉnh ủy Lạng Sơn",
    "Tỉnh ủy Quảng Ninh",
    "Tỉnh ủy Bắc Giang",
    "Tỉnh ủy Phú Thọ",
    "Tỉnh ủy Vĩnh Phúc",
    "Tỉnh ủy Bắc Ninh",
    "Tỉnh ủy Hải Dương",
    "Tỉnh ủy Hưng Yên",
    "Tỉnh ủy Thái Bình",
    "Tỉnh ủy Hà Nam",
    "Tỉnh ủy Nam Định",
    "Tỉnh ủy Ninh Bình",
    "Tỉnh ủy Thanh Hóa",
    "Tỉnh ủy Nghệ An",
    "Tỉnh ủy Hà Tĩnh",
    "Tỉnh ủy Quảng Bình",
    "Tỉnh ủy Quảng Trị",
    "Tỉnh ủy Thừa Thiên Huế",
    "Tỉnh ủy Quảng Nam",
    "Tỉnh ủy Quảng Ngãi",
    "Tỉnh ủy Bình Định",
    "Tỉnh ủy Phú Yên",
    "Tỉnh ủy Khánh Hòa",
    "Tỉnh ủy Ninh Thuận",
    "Tỉnh ủy Kon Tum",
    "Tỉnh ủy Gia Lai",
    "Tỉnh ủy Đắk Lắk",
    "Tỉnh ủy Đắk Nông",
    "Tỉnh ủy Lâm Đồng",
    "Tỉnh ủy Bình Phước",
    "Tỉnh ủy Tây Ninh",
    "Tỉnh ủy Bình Dương",
    "Tỉnh ủy Đồng Nai",
    "Tỉnh ủy Bà Rịa - Vũng Tàu",
    "Tỉnh ủy Long An",
    "Tỉnh ủy Tiền Giang",
    "Tỉnh ủy Bến Tre",
    "Tỉnh ủy Trà Vinh",
    "Tỉnh ủy Vĩnh Long",
    "Tỉnh ủy Đồng Tháp",
    "Tỉnh ủy An Giang",
    "Tỉnh ủy Kiên Giang",
    "Tỉnh ủy Hậu Giang",
    "Tỉnh ủy Sóc Trăng",
    "Tỉnh ủy Bạc Liêu",
    "Tỉnh ủy Cà Mau",
    "Đảng bộ Khối các cơ quan Trung ương",
    "Đảng bộ Khối Doanh nghiệp Trung ương",
    "Đảng bộ Quân đội",
    "Đảng bộ Công an Trung ương",
]
LARGE = {"Thành ủy Hà Nội": 450_000, "Thành ủy Thành phố Hồ Chí Minh": 250_000, "Đảng bộ Quân đội": 300_000}


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _fail_on(report, what: str) -> None:
    if not report.ok:
        lines = "\n".join(f"  line {e.row} [{e.column}] {e.message}" for e in report.errors[:20])
        raise RuntimeError(f"demo {what} import refused ({len(report.errors)} errors):\n{lines}")


def _shares(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), summing exactly."""
    whole = sum(weights) or 1
    exact = [Decimal(total) * w / whole for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def target_rows(province) -> list[list[Any]]:
    """The province's yearly targets and, split by the members each committee under it
    had at the start of the year, theirs."""
    from . import queries

    rows: list[list[Any]] = []
    for year, total in PROVINCE_TARGETS.items():
        rows.append([province.code, year, total, "", f"{year - 1}/NQ-TU"])
        ranked = sorted(queries.committees_ranked(province, year), key=lambda r: r.organisation.code)
        for r, share in zip(ranked, _shares(total, [r.members_at_start for r in ranked]), strict=True):
            rows.append([r.organisation.code, year, max(share, 1), province.code, f"{year - 1}/NQ-TU"])
    return rows


def peer_rows(ctx: DemoContext, province, years: tuple[int, ...]) -> list[list[Any]]:
    """Plausible published figures of 66 peers: two admitted a larger share of their
    members than the province did, the others a smaller one."""
    from . import queries

    rng = ctx.rng
    rows: list[list[Any]] = []
    for year in years:
        admitted = queries.admitted_in_year(province, year).count()
        members = queries.periods_at_start_of_year(province, year).values("member").distinct().count()
        own = percent(admitted, members, places=2)
        above = set(rng.sample(range(len(PEERS)), PEERS_ABOVE))
        for i, name in enumerate(PEERS):
            size = LARGE.get(name) or rng.randrange(25_000, 130_000, 10)
            if i in above:
                rate = own + Decimal(rng.randint(15, 60)) / 100
            else:
                rate = Decimal(rng.randint(260, int(own * 100) - 8)) / 100
            count = int((size * rate / 100).to_integral_value())
            published = percent(count, size, places=2)
            rows.append([name, year, count, size, published, "Báo cáo tổng kết công tác xây dựng Đảng"])
    return rows


def _official_members(cell, on: dt.date):
    from serment.members.models import Member

    return list(
        Member.objects.current()
        .filter(organisation=cell, official_on__lte=on)
        .exclude(admitted_on__gt=on)
        .order_by("admitted_on", "pk")
    )


def _candidates(ctx: DemoContext) -> int:
    """A handful of current candidates at various steps, through the actions."""
    from serment.members.models import Member
    from serment.organisations.models import Organisation

    from . import actions
    from .actions import IntroducerInput
    from .models import StepKind

    rng = ctx.rng
    home = ctx.data.get("cell") or Organisation.objects.filter(kind="cell").order_by("code").first()
    neighbours = list(
        Organisation.objects.filter(parent_id=home.parent_id, kind="cell")
        .exclude(pk=home.pk)
        .order_by("code")[:3]
    )
    plan = [
        (home, "Nguyễn Thị Thu Hà", StepKind.APPLICATION),
        (home, "Trần Văn Khánh", StepKind.INTRODUCERS),
        (home, "Lê Thị Mỹ Duyên", StepKind.CELL_RESOLUTION),
        (home, "Phạm Quốc Bảo", StepKind.DECISION),
        *(
            (cell, name, last)
            for cell, (name, last) in zip(
                neighbours,
                [
                    ("Huỳnh Văn Tài", None),
                    ("Võ Thị Ngọc Lan", StepKind.CERTIFICATE),
                    ("Đặng Minh Trí", StepKind.OPINIONS),
                ],
                strict=False,
            )
        ),
    ]
    timeline = [
        (StepKind.CERTIFICATE, dt.date(2022, 11, 18)),
        (StepKind.APPLICATION, dt.date(2023, 2, 6)),
        (StepKind.CV, dt.date(2023, 2, 20)),
        (StepKind.INTRODUCERS, dt.date(2023, 3, 3)),
        (StepKind.OPINIONS, dt.date(2023, 4, 10)),
        (StepKind.CELL_RESOLUTION, dt.date(2023, 5, 8)),
        (StepKind.GRASSROOTS_RESOLUTION, dt.date(2023, 5, 22)),
        (StepKind.DECISION, dt.date(2023, 6, 12)),
    ]
    made = 0
    for n, (cell, name, last) in enumerate(plan, start=1):
        born = dt.date(rng.randint(1988, 2003), rng.randint(1, 12), rng.randint(1, 28))
        candidate = actions.register_candidate(
            by=SYSTEM,
            organisation=cell,
            full_name=name,
            date_of_birth=born,
            sex="female" if " Thị " in f" {name} " else "male",
            citizen_id=f"0520{born.year % 100:02d}{n:06d}",
            ethnicity="Kinh",
            home_town="Bình Thuận",
        )
        made += 1
        if last is None:
            continue
        for kind, on in timeline:
            extra: dict[str, Any] = {}
            if kind == StepKind.INTRODUCERS:
                official = _official_members(cell, on)[:2]
                extra["introducers"] = [
                    IntroducerInput(member=m, worked_together_since=dt.date(2020, 1, 1)) for m in official
                ]
                extra["youth_union_recommendation"] = len(official) < 2
            if kind == StepKind.CELL_RESOLUTION:
                extra["votes_for"] = actions.official_members_of_cell(cell, on)
            actions.record_step(
                by=SYSTEM, candidate=candidate, kind=kind, on=on, document_ref=f"{n:02d}-{kind}", **extra
            )
            if kind == last:
                break
    withdrawn = actions.register_candidate(
        by=SYSTEM, organisation=home, full_name="Bùi Văn Hậu", date_of_birth=dt.date(1995, 7, 2), sex="male"
    )
    actions.withdraw_candidate(
        by=SYSTEM, candidate=withdrawn, on=dt.date(2023, 3, 15), reason="Chuyển công tác"
    )
    # Helpers for the probationary members of the secretary's cell.
    for m in Member.objects.current().filter(organisation=home, official_on__isnull=True).order_by("pk"):
        helpers = [h for h in _official_members(home, m.admitted_on) if h.pk != m.pk]
        if helpers:
            actions.assign_helper(
                by=SYSTEM, member=m, helper=helpers[0], on=m.admitted_on + dt.timedelta(days=7)
            )
    return made + 1


def build(ctx: DemoContext) -> None:
    from . import importers

    province = ctx.province
    report = importers.import_targets(
        by=SYSTEM,
        data=_csv(["Mã tổ chức", "Năm", "Chỉ tiêu", "Đơn vị giao", "Số văn bản"], target_rows(province)),
        filename="chi_tieu_ket_nap.csv",
        dry_run=False,
    )
    _fail_on(report, "admission target")
    ctx.log(f"  {report.created} admission targets imported")
    report = importers.import_peer_figures(
        by=SYSTEM,
        organisation=province,
        data=_csv(
            ["Đơn vị", "Năm", "Số kết nạp", "Tổng số đảng viên", "Tỷ lệ", "Nguồn"],
            peer_rows(ctx, province, (2021, 2022)),
        ),
        filename="so_sanh.csv",
        dry_run=False,
    )
    _fail_on(report, "peer comparison")
    ctx.log(f"  {report.created} published figures of peers imported")
    ctx.log(f"  {_candidates(ctx)} candidates registered")
