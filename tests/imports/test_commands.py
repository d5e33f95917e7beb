import pytest
from django.core.management import call_command

from serment.members.models import Member

from .conftest import member_csv, member_row


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "members.csv"
    path.write_bytes(member_csv(member_row(), member_row(name="Lê Văn Hai", card="T2", cid="0602")))
    return path


def test_import_as_the_system_creates_members_and_exits_zero(world, good_file, capsys):
    call_command("import", "members", str(good_file))
    assert capsys.readouterr().out.splitlines()[0] == "2 members created from 2 row(s)."
    assert Member.objects.filter(card_number__in=["T0001", "T2"]).count() == 2


def test_a_dry_run_prints_what_would_be_created_and_writes_nothing(world, good_file, capsys):
    call_command("import", "members", str(good_file), "--dry-run")
    assert capsys.readouterr().out.splitlines()[0] == "2 members would be created (dry run) from 2 row(s)."
    assert Member.objects.filter(card_number__in=["T0001", "T2"]).count() == 0


def test_errors_are_printed_per_row_and_the_exit_status_is_one(world, tmp_path, capsys):
    path = tmp_path / "m.csv"
    path.write_bytes(member_csv(member_row(cell="C3")))
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "members", str(path), "--user", "d1_staff")
    assert exit_.value.code == 1
    assert capsys.readouterr().err.splitlines() == [
        "line 2 [cell_code]: No organisation has the code C3.",
        "1 error(s) in 1 row(s); nothing was imported.",
    ]


def test_export_writes_the_users_members_to_a_file(world, tmp_path):
    out = tmp_path / "m.csv"
    call_command("export", "members", "--user", "d1_staff", "--org", "G1", "-o", str(out))
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].split(",")[:3] == ["Card number", "Citizen ID", "Full name"]  # English by default
    assert sorted(line.split(",")[2] for line in lines[1:]) == ["Lê Văn Bob", "Trần Thị Alice"]


def test_export_of_organisations_as_xlsx(world, tmp_path):
    out = tmp_path / "o.xlsx"
    call_command("export", "organisations", "--org", "D2", "--format", "xlsx", "-o", str(out))
    from openpyxl import load_workbook

    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert [r[:4] for r in rows] == [
        ("code", "name", "kind", "parent_code"),
        ("D2", "Huyện ủy 2", "district_committee", "P"),
        ("G2", "Đảng bộ xã 2", "grassroots_committee", "D2"),
        ("C3", "Chi bộ thôn 3", "cell", "G2"),
    ]
