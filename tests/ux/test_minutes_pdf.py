"""The minutes PDF looks like the form a cell files, and text never reaches
ReportLab as markup (issue 13 item 2)."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from serment.oath import actions
from serment.oath.minutes import minutes_pdf
from serment.oath.queries import meeting_sheet

APRIL = dt.date(2023, 4, 10)


def pdf_text(pdf: bytes) -> str:
    """The PDF's text without spaces and line breaks (a table cell wraps long text)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return "".join(text.split())


def flat(text: str) -> str:
    return "".join(text.split())


def image_count(pdf: bytes) -> int:
    reader = PdfReader(io.BytesIO(pdf))
    return sum(len(page.images) for page in reader.pages)


def link_count(pdf: bytes) -> int:
    reader = PdfReader(io.BytesIO(pdf))
    return sum(len(page.get("/Annots") or []) for page in reader.pages)


@pytest.fixture
def meeting(world, campaign_2023):
    m = actions.schedule_meeting(by=world.secretary, campaign=campaign_2023, cell=world.C1, held_on=APRIL)
    return actions.record_meeting_details(
        by=world.secretary,
        meeting=m,
        place="Nhà văn hóa thôn 1",
        starts_at=dt.time(14, 0),
        ends_at=dt.time(16, 30),
        chair="Nguyễn Văn Chủ",
        note_taker="Lê Thị Ký",
    )


@pytest.fixture
def png(tmp_path):
    from PIL import Image

    path = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), "red").save(path)
    return path


def test_a_suggestion_with_an_image_tag_embeds_no_file(world, meeting, png):
    actions.record_presentation(
        by=world.secretary,
        meeting=meeting,
        member=world.alice,
        suggestions=f'<img src="{png}" width="40" height="40"/>',
    )
    pdf = minutes_pdf(meeting_sheet(meeting))
    assert image_count(pdf) == 0
    assert flat(f'<img src="{png}"') in pdf_text(pdf)


def test_a_suggestion_with_a_link_tag_plants_no_link(world, meeting):
    actions.record_presentation(
        by=world.secretary,
        meeting=meeting,
        member=world.alice,
        suggestions='<link href="https://evil.example/">x</link>',
    )
    pdf = minutes_pdf(meeting_sheet(meeting))
    assert link_count(pdf) == 0
    assert flat('<link href="https://evil.example/">x</link>') in pdf_text(pdf)


def test_a_member_name_with_markup_does_not_break_the_minutes(world, meeting, client):
    from serment.members.models import Member

    Member.objects.filter(pk=world.alice.pk).update(full_name="Trần <b>Thị & Alice")
    actions.record_attendance(by=world.secretary, meeting=meeting, member=world.alice, present=True)
    client.force_login(world.secretary)
    response = client.get(f"/oath/meetings/{meeting.pk}/minutes.pdf")
    assert response.status_code == 200
    assert flat("Trần <b>Thị & Alice") in pdf_text(response.content)


def test_a_campaign_title_with_markup_is_printed_as_typed(world, meeting):
    meeting.campaign.title = "Lời thề <font size=80>&"
    meeting.campaign.save(update_fields=["title"])
    assert flat("Lời thề <font size=80>&") in pdf_text(minutes_pdf(meeting_sheet(meeting)))


def test_the_vietnamese_minutes_read_like_the_filed_form(world, meeting):
    from django.utils import translation

    actions.record_presentation(
        by=world.secretary, meeting=meeting, member=world.alice, suggestions="Phát huy"
    )
    with translation.override("vi"):
        text = pdf_text(minutes_pdf(meeting_sheet(meeting)))
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "ĐẢNG BỘ XÃ 1",  # the committee the cell belongs to
        "CHI BỘ THÔN 1",
        "BIÊN BẢN",
        "Nhà văn hóa thôn 1, ngày 10 tháng 4 năm 2023",
        "14:00",
        "16:30",
        "Nguyễn Văn Chủ",
        "Lê Thị Ký",
        "có mặt: 1",
        "Trần Thị Alice",
        "Phát huy",
        "THƯ KÝ",
        "CHỦ TRÌ",
    ):
        assert flat(expected) in text, expected
    assert "2023-04-10" not in text


def test_the_minutes_embed_a_font_that_covers_vietnamese(world, meeting):
    pdf = minutes_pdf(meeting_sheet(meeting))
    assert b"DejaVuSans" in pdf
    assert b"/FontFile2" in pdf  # the TrueType font is embedded, not referenced


def test_a_meeting_cannot_end_before_it_starts(world, meeting):
    from serment.core.errors import Refused

    with pytest.raises(Refused) as exc:
        actions.record_meeting_details(
            by=world.secretary,
            meeting=meeting,
            place="",
            starts_at=dt.time(16, 0),
            ends_at=dt.time(15, 0),
            chair="",
            note_taker="",
        )
    assert exc.value.codes == ["meeting_ends_before_it_starts"]
