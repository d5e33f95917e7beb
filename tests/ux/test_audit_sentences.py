"""The audit history reads as sentences in the reader's language: field names and
values translated, dates in the reader's format, referenced records by name, never
raw keys such as ``occasion=task`` or ``promise=1``."""

import datetime as dt

from django.urls import reverse
from django.utils import translation

from serment.core.audit import history_of
from serment.core.audit_text import readable_history
from serment.members.actions import exempt_member, transfer_member
from serment.oath import actions as oath


def test_an_exemption_reads_as_a_sentence_with_labels_and_dates(world):
    exempt_member(
        by=world.secretary,
        member=world.alice,
        on=dt.date(2023, 3, 1),
        reason="illness",
        until=dt.date(2023, 9, 1),
    )
    with translation.override("vi"):
        entry = readable_history(history_of(world.alice)[:1])[0]
    assert entry.sentence == "Được miễn công tác và sinh hoạt đảng"
    shown = {c.label: c.text for c in entry.changes}
    assert shown["Đến ngày"] == "01/09/2023"
    assert "2023-09-01" not in str(shown)
    assert entry.actor == "secretary"


def test_a_transfer_names_the_cells_not_their_ids(world):
    transfer_member(by=world.g1_staff, member=world.alice, to=world.C2, on=dt.date(2023, 3, 1), internal=True)
    entry = readable_history(history_of(world.alice)[:1])[0]
    texts = " ".join(c.text for c in entry.changes)
    assert "Chi bộ thôn 2" in texts


def test_a_promise_entry_shows_the_occasion_label_not_its_key(world):
    oath.add_promise(
        by=world.alice_user,
        member=world.alice,
        occasion="task",
        to_whom="collective",
        text="Hoàn thành",
        made_on=dt.date(2022, 1, 1),
    )
    entry = readable_history(history_of(world.alice)[:1])[0]
    assert entry.sentence == "Promise recorded"
    shown = {c.label: c.text for c in entry.changes}
    assert shown["Occasion"] == "Taking on a task"
    assert "task" not in shown.values() and "Promise" in shown


def test_the_member_page_shows_the_history_in_the_readers_language(client, world):
    exempt_member(
        by=world.secretary,
        member=world.alice,
        on=dt.date(2023, 3, 1),
        reason="illness",
        until=dt.date(2023, 9, 1),
    )
    client.force_login(world.admin)
    html = client.get(
        reverse("members:detail", args=[world.alice.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert (
        "Dispensé(e) de travail et d’activités" in html
        or "Dispense de travail et d’activités accordée" in html
    )
    assert "01/09/2023" in html
