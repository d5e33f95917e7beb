"""Petitions and denunciations: deadlines from rule data, anonymous denunciations
recorded but not handled, overdue cases flagged."""

import datetime as dt

import pytest

from serment.core.actors import SYSTEM
from serment.core.errors import Refused
from serment.inspection import policies
from serment.inspection.actions import close_case, receive_case
from serment.inspection.models import Case


def receive(by, committee, **kw):
    kw.setdefault("kind", "denunciation")
    kw.setdefault("channel", "post")
    kw.setdefault("received_on", dt.date(2023, 1, 10))
    kw.setdefault("summary", "Tố cáo")
    if not kw.get("anonymous"):
        kw.setdefault("sender_name", "Nguyễn Văn Gửi")
    return receive_case(by=by, committee=committee, **kw)


@pytest.mark.parametrize(
    ("kind", "committee", "due"),
    [
        ("denunciation", "P", dt.date(2023, 4, 10)),  # 90 days at the province
        ("denunciation", "D1", dt.date(2023, 3, 11)),  # 60 at a district
        ("complaint", "G1", dt.date(2023, 2, 9)),  # 30 at grassroots
        ("petition", "D1", dt.date(2023, 2, 9)),  # 30
    ],
)
def test_the_deadline_comes_from_the_rule_data(insp, kind, committee, due):
    case = receive(SYSTEM, getattr(insp, committee), kind=kind)
    assert (case.due_on, case.rule_set, case.handled) == (due, "QD22-2021", True)


def test_the_deadlines_are_marked_unconfirmed():
    assert policies.rules_on(dt.date(2023, 1, 1)).case_days_confirmed is False


def test_an_anonymous_denunciation_is_recorded_but_not_handled(insp):
    case = receive(insp.inspector, insp.D1, anonymous=True)
    assert (case.handled, case.outcome, case.due_on, case.closed_on) == (
        False,
        "not_handled",
        None,
        case.received_on,
    )
    with pytest.raises(Refused) as exc:
        close_case(by=insp.inspector, case=case, outcome="unfounded", closed_on=dt.date(2023, 2, 1))
    assert exc.value.codes == ["not_handled"]
    assert not Case.objects.overdue_on(dt.date(2024, 1, 1)).exists()


def test_an_anonymous_petition_is_handled(insp):
    assert receive(insp.inspector, insp.D1, kind="petition", anonymous=True).handled


def test_overdue_cases_are_flagged_open_or_closed_late(insp):
    on_time = receive(SYSTEM, insp.D1, received_on=dt.date(2023, 1, 1))
    late = receive(SYSTEM, insp.D1, received_on=dt.date(2023, 1, 2))
    still_open = receive(SYSTEM, insp.D1, received_on=dt.date(2023, 1, 3))
    close_case(by=SYSTEM, case=on_time, outcome="founded", closed_on=on_time.due_on)
    close_case(by=SYSTEM, case=late, outcome="unfounded", closed_on=late.due_on + dt.timedelta(days=1))
    overdue = set(Case.objects.overdue_on(dt.date(2023, 12, 31)).values_list("pk", flat=True))
    assert overdue == {late.pk, still_open.pk}
    assert still_open.is_overdue(still_open.due_on) is False
    assert still_open.is_overdue(still_open.due_on + dt.timedelta(days=1)) is True


def test_receiving_refuses_what_it_cannot_record(insp):
    with pytest.raises(Refused) as exc:
        receive(insp.inspector, insp.D1, anonymous=True, sender_name="X", summary=" ")
    assert exc.value.codes == ["summary_required", "anonymous_with_sender"]
    with pytest.raises(Refused) as exc:
        receive(insp.inspector, insp.D1, concerned_member=insp.carol)
    assert exc.value.codes == ["not_competent"]
    with pytest.raises(Refused) as exc:
        receive(insp.inspector, insp.C1)
    assert exc.value.codes == ["not_a_committee"]
    with pytest.raises(Refused) as exc:
        receive(insp.d1_staff, insp.D1)
    assert exc.value.codes == ["not_permitted"]


def test_closing_refuses_twice_and_dates_out_of_order(insp):
    case = receive(insp.inspector, insp.D1)
    with pytest.raises(Refused) as exc:
        close_case(by=insp.inspector, case=case, outcome="founded", closed_on=dt.date(2023, 1, 9))
    assert exc.value.codes == ["dates_out_of_order"]
    close_case(by=insp.inspector, case=case, outcome="transferred", closed_on=dt.date(2023, 1, 20))
    with pytest.raises(Refused) as exc:
        close_case(by=insp.inspector, case=case, outcome="founded", closed_on=dt.date(2023, 1, 21))
    assert exc.value.codes == ["already_closed"]


def test_the_audit_entry_never_names_the_sender(insp):
    from serment.core.audit import history_of

    case = receive(insp.inspector, insp.D1, sender_name="Người Bí Mật")
    entry = history_of(case).get()
    assert "Người Bí Mật" not in f"{entry.summary} {entry.changes}"
