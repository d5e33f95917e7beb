import csv
import datetime as dt
import io

from openpyxl import load_workbook

from serment.accounts.models import RoleGrant
from serment.core import exports
from serment.core.scoping import SYSTEM
from serment.members import actions
from serment.members.exporters import HEADER, member_rows
from serment.members.importers import import_members
from serment.members.models import ActivityPeriod, Member
from serment.organisations.exporters import HEADER as ORG_HEADER
from serment.organisations.exporters import organisation_rows
from serment.organisations.importers import import_organisations
from serment.organisations.models import Organisation


def _csv(header, rows) -> list[dict]:
    return list(csv.DictReader(io.StringIO(exports.to_csv(header, rows).decode("utf-8-sig"))))


def test_the_export_holds_exactly_the_members_the_user_may_see(world):
    rows = _csv(HEADER, member_rows(viewer=world.d1_staff))
    assert sorted(r["full_name"] for r in rows) == ["Lê Văn Bob", "Trần Thị Alice"]
    assert rows[0]["cell_code"] in ("C1", "C2")


def test_the_export_follows_the_list_filters(world):
    rows = _csv(HEADER, member_rows(viewer=world.admin, organisation=world.G2))
    assert [r["full_name"] for r in rows] == ["Phạm Thị Carol"]


def test_formulas_in_names_come_out_inert_in_csv_and_xlsx(world):
    actions.update_member_details(by=SYSTEM, member=world.bob, full_name='=HYPERLINK("http://evil","x")')

    rows = _csv(HEADER, member_rows(viewer=world.d1_staff))
    assert sorted(r["full_name"] for r in rows) == ['\'=HYPERLINK("http://evil","x")', "Trần Thị Alice"]

    wb = load_workbook(io.BytesIO(exports.to_xlsx(HEADER, member_rows(viewer=world.d1_staff))))
    cells = [row[HEADER.index("full_name")] for row in wb.active.iter_rows(min_row=2)]
    assert sorted((c.value, c.data_type) for c in cells) == [
        ('\'=HYPERLINK("http://evil","x")', "s"),
        ("Trần Thị Alice", "s"),
    ]


def _empty_the_tree():
    Member.objects.all().delete()
    RoleGrant.objects.all().delete()
    for org in Organisation.objects.order_by("-depth"):
        org.delete()


def test_an_export_reimports_cleanly_into_an_empty_tree(world):
    actions.exempt_member(
        by=SYSTEM, member=world.bob, on=dt.date(2023, 1, 10), reason="illness", until=dt.date(2023, 9, 1)
    )
    actions.transfer_temporarily(
        by=SYSTEM,
        member=world.carol,
        on=dt.date(2023, 2, 1),
        until=dt.date(2023, 8, 1),
        destination="Tỉnh Đồng Nai",
    )
    actions.update_member_details(by=SYSTEM, member=world.alice, full_name="=1+1")
    for fmt in ("csv", "xlsx"):  # the system: the user's own grants go with the tree
        org_file = exports.render(fmt, ORG_HEADER, organisation_rows(viewer=SYSTEM))
        member_file = exports.render(fmt, HEADER, member_rows(viewer=SYSTEM))
        before = sorted(member_rows(viewer=SYSTEM))
        _empty_the_tree()

        orgs = import_organisations(by=SYSTEM, data=org_file, filename=f"o.{fmt}", dry_run=False)
        members = import_members(by=SYSTEM, data=member_file, filename=f"m.{fmt}", dry_run=False)

        assert (orgs.errors, orgs.created, members.errors, members.created) == ([], 9, [], 3)
        assert sorted(member_rows(viewer=SYSTEM)) == before
        assert ActivityPeriod.objects.filter(member__full_name="Phạm Thị Carol").get().destination == (
            "Tỉnh Đồng Nai"
        )
        assert Member.objects.filter(full_name="=1+1").count() == 1
