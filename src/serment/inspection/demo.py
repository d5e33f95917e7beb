"""Demo step: a modest inspection history for 2020–2023 (docs/inspection.md, "Demo").

The article gives no inspection figures, so the numbers are invented and small:
each district-level committee's inspection commission plans 3 inspections and 2
supervisions a year of its grassroots organisations (one in five concluded late,
and the last one of 2023 never concluded, so it shows as overdue); it receives 3
petitions or denunciations a year (one an anonymous denunciation, recorded but not
handled; one closed after its deadline). One discipline decision of the rating
step's each year is complained about at the provincial level and changed
(warning → reprimand) or upheld. Everything goes through the actions.
"""

from __future__ import annotations

import datetime as dt

from serment.core.actors import SYSTEM

YEARS = (2020, 2021, 2022, 2023)
INSPECTIONS_PER_DISTRICT = 3
SUPERVISIONS_PER_DISTRICT = 2
CASES_PER_DISTRICT = 3
TOPICS = (
    "Thực hiện nguyên tắc tập trung dân chủ",
    "Công tác quản lý đảng viên",
    "Thu, nộp đảng phí",
    "Thực hiện Chỉ thị 05-CT/TW",
    "Giữ gìn phẩm chất đạo đức, lối sống",
)


def build(ctx) -> None:
    from serment.organisations.models import GRASSROOTS_KINDS, Kind, Organisation

    from . import actions
    from .models import DisciplineDecision

    province = ctx.province or Organisation.objects.get(depth=0, parent__isnull=True)
    rng = ctx.rng
    districts = list(Organisation.objects.filter(parent=province, kind=Kind.DISTRICT).order_by("code"))
    planned = concluded = cases = 0
    for district in districts:
        grassroots = list(
            Organisation.objects.filter(path__subtree=district.path, kind__in=GRASSROOTS_KINDS).order_by(
                "code"
            )
        )
        if not grassroots:
            continue
        for year in YEARS:
            activities = ["inspection"] * INSPECTIONS_PER_DISTRICT + [
                "supervision"
            ] * SUPERVISIONS_PER_DISTRICT
            for i, kind in enumerate(activities):
                start = dt.date(year, 2 + 2 * i, rng.randint(1, 20))
                item = actions.plan_inspection(
                    by=SYSTEM,
                    committee=district,
                    year=year,
                    kind=kind,
                    mode=rng.choice(["regular", "regular", "thematic"]),
                    topic=rng.choice(TOPICS),
                    team=f"Đoàn kiểm tra {district.code}-{year}-{i + 1}",
                    starts_on=start,
                    ends_on=start + dt.timedelta(days=14),
                    deadline=start + dt.timedelta(days=45),
                    subject_organisation=rng.choice(grassroots),
                )
                planned += 1
                if year == YEARS[-1] and i == len(activities) - 1:
                    continue  # left open: overdue
                late = rng.random() < 0.2
                actions.conclude_inspection(
                    by=SYSTEM,
                    inspection=item,
                    conclusion=rng.choice(["no_violation", "no_violation", "shortcomings", "violation"]),
                    concluded_on=item.deadline + dt.timedelta(days=10 if late else -5),
                    findings="Kết luận của đoàn kiểm tra.",
                )
                concluded += 1
            for j in range(CASES_PER_DISTRICT):
                anonymous = j == 0
                case = actions.receive_case(
                    by=SYSTEM,
                    committee=district,
                    kind="denunciation" if j < 2 else "petition",
                    channel=rng.choice(["post", "in_person", "forwarded"]),
                    received_on=dt.date(year, 3 + 3 * j, rng.randint(1, 25)),
                    reference=f"{j + 1}/{year}",
                    anonymous=anonymous,
                    sender_name="" if anonymous else f"Công dân {district.code} {year}-{j}",
                    concerned_organisation=rng.choice(grassroots),
                    summary="Phản ánh việc thực hiện quy định ở cơ sở.",
                )
                cases += 1
                if case.handled:
                    late = j == 2
                    actions.close_case(
                        by=SYSTEM,
                        case=case,
                        outcome=rng.choice(["founded", "partly_founded", "unfounded", "transferred"]),
                        closed_on=case.due_on + dt.timedelta(days=7 if late else -3),
                        outcome_note="Đã xem xét, kết luận.",
                    )
    complaints = 0
    for year in YEARS:
        decision = (
            DisciplineDecision.objects.filter(decided_on__year=year, member__isnull=False)
            .select_related("unit")
            .order_by("pk")
            .first()
        )
        if decision is None:
            continue
        complaint = actions.lodge_complaint(
            by=SYSTEM,
            decision=decision,
            received_decision_on=decision.decided_on + dt.timedelta(days=2),
            lodged_on=decision.decided_on + dt.timedelta(days=20),
            level=3,
            handling_body=f"Ủy ban Kiểm tra {province.name}",
            grounds="Đề nghị xem xét lại hình thức kỷ luật.",
        )
        changed = decision.form == "warning"
        actions.decide_complaint(
            by=SYSTEM,
            complaint=complaint,
            outcome="changed" if changed else "upheld",
            new_form="reprimand" if changed else "",
            decided_on=decision.decided_on + dt.timedelta(days=50),
            document_ref=f"{year}-QĐ/UBKTTU",
        )
        complaints += 1
    ctx.log(
        f"  {planned} inspections and supervisions planned ({concluded} concluded), "
        f"{cases} petitions and denunciations, {complaints} complaints about discipline"
    )
