"""The demo step on the small tree: it runs through the actions and makes the
documented, modest history."""

import datetime as dt
import random

from serment.core.actors import SYSTEM
from serment.core.demo import DemoContext
from serment.inspection import demo, reports
from serment.inspection.actions import record_discipline
from serment.inspection.models import Case, DisciplineComplaint, Inspection


def test_demo_builds_a_modest_history(insp):
    record_discipline(
        by=SYSTEM, member=insp.alice, form="warning", decided_on=dt.date(2021, 5, 3), deciding_body="UBKT"
    )
    ctx = DemoContext(seed=1, rng=random.Random(1), log=lambda msg: None, province=insp.P)
    demo.build(ctx)
    # two district-level committees with grassroots organisations, four years
    assert Inspection.objects.count() == 2 * 4 * (
        demo.INSPECTIONS_PER_DISTRICT + demo.SUPERVISIONS_PER_DISTRICT
    )
    assert Inspection.objects.filter(concluded_on__isnull=True).count() == 2  # the last of 2023, each
    assert Case.objects.count() == 2 * 4 * demo.CASES_PER_DISTRICT
    assert Case.objects.filter(handled=False).count() == 2 * 4  # one anonymous denunciation a year
    assert list(DisciplineComplaint.objects.values_list("outcome", "new_form")) == [("changed", "reprimand")]
    figures = {f["key"]: f["count"] for f in reports.inspection_report(SYSTEM, year=2023)}
    assert (figures["supervision.overdue"] >= 2, figures["cases.not_handled"]) == (True, 2)
