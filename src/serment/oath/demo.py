"""Demo step: the 2023 campaign "Giữ trọn lời thề đảng viên" of the demo province.

The provincial committee launches it (February–May 2023, deadline 30 June 2023),
counting every member on the register in the denominator. Each cell held its
thematic meeting on paper; the step generates the paper records (one row per
member: reported, or why not) and feeds them to the paper importer users run. The
coverage report then counts them like any other meetings (docs/oath.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from serment.core.actors import SYSTEM
from serment.core.demo import DemoContext
from serment.members.models import PostHolding, State

TITLE = "Giữ trọn lời thề đảng viên"
STARTS_ON, ENDS_ON, DEADLINE = dt.date(2023, 2, 1), dt.date(2023, 5, 31), dt.date(2023, 6, 30)
SUGGESTIONS = [
    "Phát huy tinh thần trách nhiệm, tiếp tục gương mẫu trong công tác.",
    "Cần chủ động hơn trong việc nắm bắt tâm tư của nhân dân.",
    "Tiếp tục học tập, nâng cao trình độ lý luận chính trị.",
    "Giữ gìn đoàn kết, thực hiện nghiêm kỷ luật của Đảng.",
    "Thực hiện tốt lời hứa với cử tri, báo cáo kết quả định kỳ.",
]


def paper_rows(ctx: DemoContext, campaign) -> list[dict[str, Any]]:
    """The paper records of every cell: one row per member on the register on the
    deadline, in the cell they belonged to; the meeting dated after the last of them joined."""
    from .queries import cells_as_of, register_as_of

    rng = ctx.rng
    province = campaign.organisation
    office = set(PostHolding.objects.filter(ends_on__isnull=True).values_list("member_id", flat=True))
    by_cell: dict[int, list[dict[str, Any]]] = {}
    for r in (
        register_as_of(province, campaign, DEADLINE)
        .order_by("organisation__code", "member_id")
        .values("member_id", "member__card_number", "organisation_id", "starts_on", "state_on")
    ):
        by_cell.setdefault(r["organisation_id"], []).append(r)
    rows: list[dict[str, Any]] = []
    for cell in cells_as_of(province, campaign, DEADLINE).order_by("code").values("pk", "code"):
        members = by_cell.get(cell["pk"], [])
        held_on = STARTS_ON + dt.timedelta(days=rng.randint(14, (ENDS_ON - STARTS_ON).days))
        held_on = min(max([held_on, *(m["starts_on"] for m in members)]), DEADLINE)
        base = {"cell_code": cell["code"], "meeting_date": held_on.isoformat()}
        if not members:
            rows.append({**base, "card_number": ""})
        for m in members:
            if m["state_on"] == State.ACTIVE:
                rows.append(
                    {
                        **base,
                        "card_number": m["member__card_number"],
                        "reported": "yes",
                        "report_type": "oath_office" if m["member_id"] in office else "oath",
                        "suggestions": rng.choice(SUGGESTIONS),
                    }
                )
            else:
                rows.append(
                    {
                        **base,
                        "card_number": m["member__card_number"],
                        "reported": "no",
                        "reason": m["state_on"],
                    }
                )
    return rows


def build(ctx: DemoContext) -> None:
    from serment.members.models import Member

    from . import actions
    from .importers import import_paper_rows

    campaign = actions.launch_campaign(
        by=SYSTEM,
        organisation=ctx.province,
        title=TITLE,
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
        deadline=DEADLINE,
        expected_states=[State.ACTIVE],
        count_whole_register=True,
        presentation_without_self_assessment=True,  # held on paper in 2023
    )
    rows = paper_rows(ctx, campaign)
    report = import_paper_rows(
        by=SYSTEM, campaign=campaign, rows=list(enumerate(rows, start=2)), dry_run=False
    )
    if not report.ok:
        lines = "\n".join(f"  line {e.row} [{e.column}] {e.message}" for e in report.errors[:20])
        raise RuntimeError(f"demo oath paper import refused ({len(report.errors)} errors):\n{lines}")
    ctx.log(f"  oath campaign: {report.created} paper rows imported")

    # The demo member's own oath and promises, for the "my oath" page.
    member = Member.objects.filter(user__username="member").first()
    if member is not None:
        actions.record_oath(by=SYSTEM, member=member, taken_on=member.admitted_on, place="Hội trường xã")
        actions.add_promise(
            by=SYSTEM,
            member=member,
            made_on=max(member.admitted_on, dt.date(2020, 10, 1)),
            occasion="task",
            to_whom="collective",
            text="Hoàn thành tốt nhiệm vụ phụ trách công tác dân vận của chi bộ.",
        )
    ctx.data["oath_campaign"] = campaign
