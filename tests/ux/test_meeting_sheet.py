"""The meeting sheet: each row saved in place (htmx answers with that row only),
nothing shown as recorded before it is, all present, details for the minutes, a
confirmation before closing, and a second meeting shown rather than hidden."""

import datetime as dt

import pytest

from serment.core.models import AuditEntry
from serment.oath import actions
from serment.oath.models import Attendance, CellMeeting, MeetingStatus, Presentation
from tests import factories as f

APRIL = dt.date(2023, 4, 10)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def meeting(world, campaign_2023):
    world.dan = f.member(world.C1, full_name="Đỗ Văn Dân")
    return actions.schedule_meeting(by=world.secretary, campaign=campaign_2023, cell=world.C1, held_on=APRIL)


@pytest.fixture
def sheet(client, world, meeting):
    client.force_login(world.secretary)
    return f"/oath/meetings/{meeting.pk}/"


def test_nothing_reads_present_before_it_is_recorded(client, sheet):
    html = client.get(sheet).content.decode()
    assert html.count("Not recorded") == 2
    assert '<span class="badge">Present</span>' not in html


def test_recording_attendance_answers_with_that_row_only(client, world, meeting, sheet):
    response = client.post(sheet + "attendance/", {"member": world.alice.pk, "present": "yes"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith(f'<tr id="member-{world.alice.pk}"')
    assert "<html" not in html and "Đỗ Văn Dân" not in html
    assert "Saved" in html and '<span class="badge">Present</span>' in html
    assert Attendance.objects.get(meeting=meeting, member=world.alice).present is True


def test_a_refusal_shows_in_the_row_and_changes_nothing(client, world, meeting, sheet):
    client.post(sheet + "presentation/", {"member": world.alice.pk, "suggestions": "Phát huy"}, **HTMX)
    response = client.post(
        sheet + "attendance/",
        {"member": world.alice.pk, "present": "no", "absence_reason": "illness"},
        **HTMX,
    )
    html = response.content.decode()
    assert 'role="alert"' in html and "presented, so was present" in html
    assert 'name="present" value="no"' not in html  # check_record_attendance: no Absent button now
    assert Attendance.objects.get(meeting=meeting, member=world.alice).present is True


def test_without_htmx_the_page_comes_back_at_the_row(client, world, sheet):
    response = client.post(sheet + "attendance/", {"member": world.alice.pk, "present": "yes"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"{sheet}#member-{world.alice.pk}")


def test_a_suggestion_is_saved_in_place(client, world, meeting, sheet):
    response = client.post(
        sheet + "presentation/", {"member": world.dan.pk, "suggestions": "Cần cố gắng"}, **HTMX
    )
    assert "Cần cố gắng" in response.content.decode()
    assert Presentation.objects.get(meeting=meeting, member=world.dan).suggestions == "Cần cố gắng"


def test_all_present_records_only_the_rows_not_yet_recorded(client, world, meeting, sheet):
    actions.record_attendance(
        by=world.secretary, meeting=meeting, member=world.dan, present=False, absence_reason="illness"
    )
    client.post(sheet + "all_present/")
    attendance = dict(Attendance.objects.filter(meeting=meeting).values_list("member__full_name", "present"))
    assert attendance == {"Trần Thị Alice": True, "Đỗ Văn Dân": False}
    assert AuditEntry.objects.filter(action="oath.record_everyone_present").count() == 1


def test_closing_needs_a_confirmation(client, world, meeting, sheet):
    actions.record_presentation(by=world.secretary, meeting=meeting, member=world.alice)
    response = client.post(sheet + "close/", follow=True)
    assert "Tick the box to confirm" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    client.post(sheet + "close/", {"confirm": "yes"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED


def test_the_details_for_the_minutes_are_saved(client, world, meeting, sheet):
    client.post(
        sheet + "details/",
        {"place": "Hội trường", "starts_at": "14:00", "ends_at": "16:00", "chair": "A", "note_taker": "B"},
    )
    meeting.refresh_from_db()
    assert (meeting.place, meeting.starts_at, meeting.chair) == ("Hội trường", dt.time(14), "A")


def test_details_that_end_before_they_start_are_refused(client, world, meeting, sheet):
    response = client.post(sheet + "details/", {"starts_at": "14:00", "ends_at": "13:00"}, follow=True)
    assert "must end after it starts" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.starts_at is None


def test_the_sheet_lays_out_as_cards_on_a_phone(client, sheet):
    html = client.get(sheet).content.decode()
    assert 'class="sheet phone-cards"' in html
    assert 'data-label="Attendance"' in html


def test_another_meeting_of_the_cell_for_the_campaign_is_shown(client, world, meeting, sheet):
    actions.record_presentation(by=world.secretary, meeting=meeting, member=world.alice)
    CellMeeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CLOSED)
    second = CellMeeting.objects.create(campaign=meeting.campaign, cell=world.C1, held_on=dt.date(2023, 5, 2))
    html = client.get(f"/oath/meetings/{second.pk}/").content.decode()
    assert "other meetings for this campaign" in html and "10 Apr 2023" in html
