import datetime as dt
import json

from django.core.management import call_command

from .conftest import held_meeting


def test_cli_prints_the_coverage_as_json(world, campaign_2023, capsys):
    held_meeting(world.admin, campaign_2023, world.C1, dt.date(2023, 4, 10), presented=[world.alice])
    call_command("report", "oath-coverage", "--org", "D1", "--as-of", "2023-06-30")
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == {
        "code": "D1",
        "organisation": "Huyện ủy 1",
        "cells_held": 1,
        "cells": 3,
        "cells_percent": 33.3,
        "members_reported": 1,
        "members_expected": 2,
        "members_percent": 50.0,
        "exempt": 0,
        "transferred_out": 0,
        "absent": 0,
        "not_reported": 1,
        "on_register": 2,
    }
    assert [lv["code"] for lv in data["levels"]] == ["G1", "GC1"]


def test_cli_prints_csv_with_plain_numbers(world, campaign_2023, capsys):
    call_command("report", "oath-coverage", "--as-of", "2023-06-30", "--format", "csv")
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("code,organisation,cells_held,cells,cells_percent,members_reported")
    assert lines[1] == ",Whole tree,0,4,0.0,0,3,0.0,0,0,0,3,3"
    assert lines[2] == "P,Tỉnh ủy,0,4,0.0,0,3,0.0,0,0,0,3,3"


def test_cli_writes_xlsx(world, campaign_2023, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "c.xlsx"
    call_command(
        "report",
        "oath-coverage",
        "--org",
        "P",
        "--as-of",
        "2023-06-30",
        "--format",
        "xlsx",
        "-o",
        str(target),
    )
    ws = load_workbook(target).active
    assert [c.value for c in ws[2]][:4] == ["P", "Tỉnh ủy", 0, 4]
