"""Exports: CSV streams (never held whole in memory), XLSX is bounded, every export is
in the audit history, and the file name cannot be broken out of (issue 13 §8)."""

import csv
import io

from django.http import StreamingHttpResponse
from django.urls import reverse

from serment.core import exports
from serment.core.models import AuditEntry


def test_the_member_csv_streams_and_is_recorded(client, web):
    client.force_login(web.d1_staff)
    response = client.get(reverse("members:export"), {"format": "csv", "org": web.G1.pk})
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    names = sorted(name for row in rows[1:] for name in row if name in ("Trần Thị Alice", "Lê Văn Bob"))
    assert (len(rows), names, "Carol" in body) == (3, ["Lê Văn Bob", "Trần Thị Alice"], False)
    entry = AuditEntry.objects.first()
    assert (entry.action, entry.actor_name, entry.target_id, entry.changes) == (
        "export.members",
        "d1_staff",
        web.G1.pk,
        {"format": "csv"},
    )


def test_a_streamed_csv_is_the_same_as_the_whole_one():
    rows = [[f"=cmd{i}", i, None] for i in range(1234)]
    assert b"".join(exports.iter_csv(["a", "b", "c"], rows)) == exports.to_csv(["a", "b", "c"], rows)


def test_an_xlsx_past_the_limit_is_refused_with_a_pointer_to_csv(client, web, monkeypatch):
    monkeypatch.setattr(exports, "MAX_XLSX_ROWS", 1)
    client.force_login(web.d1_staff)
    response = client.get(reverse("members:export"), {"format": "xlsx"})
    assert response.status_code == 400
    assert (
        response.context["message"]
        == "More than 1 rows: download CSV instead, or choose a smaller organisation."
    )
    assert not AuditEntry.objects.filter(action="export.members").exists()


def test_a_file_name_keeps_to_safe_characters():
    assert exports.safe_filename('members-"C1\r\nX".csv') == "members--C1--X-.csv"
