import datetime as dt

from serment.core.audit import history_of
from serment.members.actions import exempt_member, transfer_member, update_member_details
from serment.members.queries import member_history


def test_history_lists_cells_standing_and_activity_in_date_order(world):
    transfer_member(by=world.g1_staff, member=world.alice, to=world.C2, on=dt.date(2020, 1, 6), internal=True)
    exempt_member(
        by=world.g1_staff,
        member=world.alice,
        on=dt.date(2023, 3, 1),
        reason="illness",
        until=dt.date(2023, 9, 1),
    )
    events = [(e.starts_on, e.kind, e.label) for e in member_history(world.alice)]
    assert events == [
        (dt.date(2010, 5, 19), "standing", "Probationary"),
        (dt.date(2010, 5, 19), "cell", "Chi bộ thôn 1"),
        (dt.date(2011, 5, 19), "standing", "Official"),
        (dt.date(2020, 1, 6), "cell", "Chi bộ thôn 2"),
        (dt.date(2023, 3, 1), "activity", "Exempt from work and activities"),
    ]


def test_corrections_of_personal_details_are_audited_with_old_and_new_values(world):
    update_member_details(
        by=world.secretary, member=world.alice, phone="0912345678", full_name="Trần Thị Alice B"
    )
    entry = history_of(world.alice).filter(action="member.update").get()
    assert entry.actor == world.secretary
    assert entry.changes == {"full_name": ["Trần Thị Alice", "Trần Thị Alice B"], "phone": ["", "0912345678"]}
