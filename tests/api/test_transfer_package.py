"""The transfer letter as a file: the letter (PDF) and the package (JSON) of an official
transfer, the package's import by the receiving committee, its round trip between two
Serment databases with the history unchanged, the tampered package refused, and the
sending side seeing when it was received."""

import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader

from serment.core.actors import SYSTEM
from serment.core.rulesets import add_working_days
from serment.members import actions as member_actions
from serment.members.models import Member, PostHolding, State
from serment.members.queries import member_history
from serment.transfers.actions import acknowledgement_of
from serment.transfers.models import PriorPeriod, TransferLetter, TransferReceipt
from serment.transfers.package import checksum_of

JSON = "application/json"
D = dt.date


@pytest.fixture
def transferred(world):
    """Alice, with a history (internal transfer, an exemption, a post), transferred
    officially to a committee of another province."""
    alice = world.alice
    member_actions.transfer_member(by=SYSTEM, member=alice, to=world.C2, on=D(2015, 1, 5), internal=True)
    member_actions.exempt_member(
        by=SYSTEM, member=alice, on=D(2019, 2, 1), reason="illness", until=D(2019, 8, 1)
    )
    member_actions.resume_activity(by=SYSTEM, member=alice, on=D(2019, 7, 15))
    PostHolding.objects.create(
        member=alice, organisation=world.C2, post="deputy_secretary", starts_on=D(2020, 6, 1)
    )
    member_actions.transfer_out_of_province(
        by=world.d1_staff, member=alice, on=D(2024, 3, 1), destination="Đảng ủy phường 1, Tỉnh Bình Định"
    )
    alice.refresh_from_db()
    return alice


def history(member):
    return [(e.starts_on, e.ends_on, e.kind, str(e.label), str(e.detail)) for e in member_history(member)]


def issue(client, member, number="125-GGT/HU"):
    answer = client.post(
        f"/api/members/{member.pk}/transfer-letter", {"number": number, "on": "2024-03-04"}, content_type=JSON
    )
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_the_letter_is_a_pdf_in_the_official_form_and_the_package_carries_the_history(
    world, transferred, token_for
):
    client = token_for(world.d1_staff)
    letter = issue(client, transferred)
    pdf = client.get(f"/api/transfer-letters/{letter['id']}/letter.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for expected in (
        "COMMUNIST PARTY OF VIETNAM",
        "Trần Thị Alice",
        "125-GGT/HU",
        "Bình Định",
        letter["checksum"],
    ):
        assert expected in " ".join(text.split()), expected

    package = json.loads(client.get(f"/api/transfer-letters/{letter['id']}/package.json").content)
    assert (package["schema"], package["schema_version"]) == ("serment.transfer-package", "1.0")
    assert package["checksum"] == checksum_of(package) == letter["checksum"]
    assert package["member"]["card_number"] == transferred.card_number
    assert [
        (m["organisation"]["code"], m["starts_on"], m["ends_on"], m["kind"])
        for m in package["history"]["memberships"]
    ] == [
        ("C1", "2010-05-19", "2015-01-05", "registered"),
        ("C2", "2015-01-05", "2024-03-01", "internal_transfer"),
    ]
    assert [(p["starts_on"], p["ends_on"]) for p in package["history"]["activity_periods"]] == [
        ("2019-02-01", "2019-07-15")
    ]
    assert package["history"]["left"] == {"on": "2024-03-01", "reason": "transferred_away"}


def test_a_member_not_transferred_has_no_letter(world, token_for):
    answer = token_for(world.d1_staff).post(
        f"/api/members/{world.bob.pk}/transfer-letter", {"number": "1"}, content_type=JSON
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "not_transferred_away")
    assert TransferLetter.objects.count() == 0


def test_the_package_round_trips_between_two_databases_with_the_history_unchanged(
    world, transferred, token_for
):
    sender = token_for(world.d1_staff)
    letter = issue(sender, transferred)
    package_file = sender.get(f"/api/transfer-letters/{letter['id']}/package.json").content
    before = history(transferred)

    # The receiving database never held the member: take them out of this one (a flush
    # of the member's rows; the organisations, which both databases hold, stay).
    TransferLetter.objects.all().delete()
    Member.objects.filter(pk=transferred.pk).delete()

    receiver = token_for(world.outsider)
    answer = receiver.post(f"/api/transfer-packages?cell={world.C3.pk}", package_file, content_type=JSON)
    assert answer.status_code == 200, answer.content
    receipt = answer.json()
    member = Member.objects.get(pk=receipt["member_id"])
    today = dt.date.today()
    assert (member.state, member.organisation_id, member.card_number) == (
        State.ACTIVE,
        world.C3.pk,
        transferred.card_number,
    )
    assert (
        receipt["present_by"]
        == add_working_days(dt.date.fromisoformat(receipt["received_on"]), 30).isoformat()
    )
    after = history(member)
    # the same history, then the new cell from the day the package was received
    assert after[:-1] == [e for e in before if e[2] != "left"]
    assert after[-1][:3] == (today, None, "cell") and after[-1][3] == world.C3.name

    again = receiver.post(f"/api/transfer-packages?cell={world.C3.pk}", package_file, content_type=JSON)
    assert (again.status_code, again.json()["code"]) == (422, "package_already_received")


def test_a_tampered_package_is_refused_and_nothing_is_written(world, transferred, token_for):
    sender = token_for(world.d1_staff)
    letter = issue(sender, transferred)
    package = json.loads(sender.get(f"/api/transfer-letters/{letter['id']}/package.json").content)
    package["member"]["official_on"] = "2005-01-01"
    members = Member.objects.count()
    answer = token_for(world.outsider).post(
        f"/api/transfer-packages?cell={world.C3.pk}", json.dumps(package), content_type=JSON
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "package_checksum_mismatch")
    assert (Member.objects.count(), TransferReceipt.objects.count()) == (members, 0)


def test_periods_at_organisations_this_database_lacks_are_kept_and_shown(world, transferred, token_for):
    sender = token_for(world.d1_staff)
    letter = issue(sender, transferred)
    package = json.loads(sender.get(f"/api/transfer-letters/{letter['id']}/package.json").content)
    for m in package["history"]["memberships"] + package["history"]["posts"]:
        m["organisation"] = {
            "code": "BD." + m["organisation"]["code"],
            "name": "Chi bộ " + m["organisation"]["code"],
        }
    package["package_id"] = "00000000-0000-4000-8000-000000000001"
    package["checksum"] = checksum_of(package)
    TransferLetter.objects.all().delete()
    Member.objects.filter(pk=transferred.pk).delete()

    answer = token_for(world.outsider).post(
        f"/api/transfer-packages?cell={world.C3.pk}", json.dumps(package), content_type=JSON
    )
    assert answer.status_code == 200, answer.content
    member_id = answer.json()["member_id"]
    assert list(PriorPeriod.objects.filter(member_id=member_id).values_list("kind", "organisation_code")) == [
        ("cell", "BD.C1"),
        ("cell", "BD.C2"),
        ("post", "BD.C2"),
    ]
    shown = token_for(world.outsider).get(f"/api/members/{member_id}/history").json()
    assert {"Chi bộ C1", "Chi bộ C2"} <= {e["label"] for e in shown}


def test_in_one_database_the_import_brings_the_record_back_and_the_sender_sees_it(
    world, transferred, token_for
):
    sender = token_for(world.d1_staff)
    letter = issue(sender, transferred)
    package_file = sender.get(f"/api/transfer-letters/{letter['id']}/package.json").content
    answer = token_for(world.outsider).post(
        f"/api/transfer-packages?cell={world.C3.pk}", package_file, content_type=JSON
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["member_id"] == transferred.pk
    transferred.refresh_from_db()
    assert (transferred.state, transferred.organisation_id) == (State.ACTIVE, world.C3.pk)
    seen = sender.get(f"/api/transfer-letters/{letter['id']}").json()
    assert seen["received_on"] == dt.date.today().isoformat()


def test_between_two_databases_the_sender_records_the_acknowledgement(world, transferred, token_for):
    sender = token_for(world.d1_staff)
    letter = issue(sender, transferred)
    elsewhere = TransferReceipt(  # as the receiving database answers (not saved here)
        package_id=letter["package_id"],
        checksum=letter["checksum"],
        received_on=D(2024, 3, 20),
        cell=world.C3,
    )
    wrong = acknowledgement_of(elsewhere) | {"checksum": "0" * 64}
    refused = sender.post(f"/api/transfer-letters/{letter['id']}/acknowledgement", wrong, content_type=JSON)
    assert (refused.status_code, refused.json()["code"]) == (422, "acknowledgement_mismatch")
    done = sender.post(
        f"/api/transfer-letters/{letter['id']}/acknowledgement",
        acknowledgement_of(elsewhere),
        content_type=JSON,
    )
    assert done.status_code == 200, done.content
    assert done.json()["received_on"] == "2024-03-20"


def test_letters_and_receipts_out_of_scope_answer_404(world, transferred, token_for):
    letter = issue(token_for(world.d1_staff), transferred)
    outsider = token_for(world.outsider)
    for url in (f"/api/transfer-letters/{letter['id']}", f"/api/transfer-letters/{letter['id']}/letter.pdf"):
        assert outsider.get(url).status_code == 404


def test_the_package_is_an_import_kind_of_the_registry(world, transferred, token_for):
    from serment.core.imports import run_kind

    letter = issue(token_for(world.d1_staff), transferred)
    data = TransferLetter.objects.get(pk=letter["id"]).package
    file = json.dumps(data).encode("utf-8")
    tampered = json.dumps(data | {"package_id": "00000000-0000-4000-8000-000000000002"}).encode("utf-8")

    refused = run_kind(
        "transfer-package",
        by=world.outsider,
        data=tampered,
        filename="p.json",
        dry_run=False,
        target=world.C3,
    )
    assert (refused.ok, refused.code) == (False, "package_checksum_mismatch")
    checked = run_kind(
        "transfer-package", by=world.outsider, data=file, filename="p.json", dry_run=True, target=world.C3
    )
    assert (checked.ok, checked.created, TransferReceipt.objects.count()) == (True, 1, 0)
    done = run_kind(
        "transfer-package", by=world.outsider, data=file, filename="p.json", dry_run=False, target=world.C3
    )
    assert (done.ok, done.created, TransferReceipt.objects.count()) == (True, 1, 1)
