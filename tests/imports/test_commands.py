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


def test_every_kind_of_the_issue_has_a_cli_verb(capsys):
    call_command("import", "--list")
    listed = {line.split(":")[0].split(" ")[0] for line in capsys.readouterr().out.splitlines()}
    assert {
        "organisations",
        "members",
        "promises",
        "paper-campaigns",
        "ratings",
        "discipline",
        "candidates",
        "targets",
        "peers",
    } <= listed


def test_a_promise_file_imports_from_the_command_line_with_vietnamese_headers(world, tmp_path, capsys):
    from serment.oath.models import Promise

    path = tmp_path / "p.csv"
    path.write_text(
        "Số thẻ đảng,Ngày hứa,Dịp,Hứa với,Nội dung lời hứa\n"
        f"{world.alice.card_number},01/03/2021,Nhận nhiệm vụ,Tập thể,Hoàn thành tốt nhiệm vụ\n",
        encoding="utf-8",
    )
    call_command("import", "promises", str(path), "--dry-run")
    assert (capsys.readouterr().out.splitlines()[0], Promise.objects.count()) == (
        "1 promises would be created (dry run) from 1 row(s).",
        0,
    )
    call_command("import", "promises", str(path), "--user", "d1_staff")
    assert Promise.objects.get().member == world.alice


def test_a_kind_imported_into_a_campaign_needs_one_the_user_sees(world, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "paper.csv"
    path.write_text("cell_code,meeting_date,card_number\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--campaign ID"):
        call_command("import", "paper-campaigns", str(path))
    with pytest.raises(CommandError, match="--campaign ID"):
        call_command("import", "paper-campaigns", str(path), "--campaign", "999999")
    with pytest.raises(CommandError, match="not imported into"):
        call_command("import", "members", str(path), "--org", "D1")


def test_an_unknown_kind_names_the_known_ones(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="one of: organisations, members"):
        call_command("import", "nothing", str(tmp_path / "x.csv"))
