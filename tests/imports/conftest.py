"""Helpers to build import files in tests."""

import csv
import io

import pytest
from openpyxl import Workbook

MEMBER_HEADER = [
    "full_name",
    "date_of_birth",
    "sex",
    "admitted_on",
    "official_on",
    "cell_code",
    "card_number",
    "citizen_id",
]


def csv_bytes(rows: list[list]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def member_row(name="Nguyễn Văn An", card="T0001", cid="060080000001", cell="C1", **kw):
    row = {
        "full_name": name,
        "date_of_birth": "1980-03-04",
        "sex": "male",
        "admitted_on": "2005-05-19",
        "official_on": "2006-05-19",
        "cell_code": cell,
        "card_number": card,
        "citizen_id": cid,
    }
    row.update(kw)
    return row


def member_csv(*rows: dict) -> bytes:
    header = list(dict.fromkeys(k for r in rows for k in r))
    return csv_bytes([header, *[[r.get(k, "") for k in header] for r in rows]])


@pytest.fixture
def counts():
    """Members, memberships, activity periods, organisations and audit entries, to
    show an import wrote nothing."""
    from serment.core.models import AuditEntry
    from serment.members.models import ActivityPeriod, Member, Membership
    from serment.organisations.models import Organisation

    def count():
        return (
            Member.objects.count(),
            Membership.objects.count(),
            ActivityPeriod.objects.count(),
            Organisation.objects.count(),
            AuditEntry.objects.count(),
        )

    return count
