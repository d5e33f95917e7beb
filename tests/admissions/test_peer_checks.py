"""``check_replace_peer_figures``: the peers' published figures, one code per rule; the
peer importer reports the same rules on the row at fault."""

from decimal import Decimal

import pytest

from serment.admissions import actions
from serment.admissions.actions import PeerRow
from serment.admissions.models import PeerFigure
from serment.core.actors import SYSTEM
from serment.core.errors import Refused


def codes(refusals):
    return [r.code for r in refusals]


def test_peer_codes(world):
    check = actions.check_replace_peer_figures
    good = PeerRow("Tỉnh A", 2022, 1000, 20000)
    assert codes(check(by=world.secretary, organisation=world.P, rows=[good])) == ["not_permitted"]
    assert codes(check(by=None, organisation=world.P, rows=[good])) == ["no_actor"]
    assert check(by=world.admin, organisation=world.P, rows=[good]) == []
    assert codes(check(by=SYSTEM, organisation=world.P, rows=[PeerRow(" ", 2022, 1, 10)])) == [
        "peer_name_required"
    ]
    assert codes(check(by=SYSTEM, organisation=world.P, rows=[PeerRow(world.P.name, 2022, 1, 10)])) == [
        "peer_is_self"
    ]
    assert codes(check(by=SYSTEM, organisation=world.P, rows=[PeerRow("Tỉnh B", 2022, 1, 0)])) == [
        "members_not_positive"
    ]
    assert codes(
        check(by=SYSTEM, organisation=world.P, rows=[PeerRow("Tỉnh B", 2022, 1, 10, Decimal(1000))])
    ) == ["rate_out_of_range"]
    assert codes(check(by=SYSTEM, organisation=world.P, rows=[good, PeerRow("tỉnh a", 2022, 5, 50)])) == [
        "peer_twice"
    ]
    with pytest.raises(Refused) as exc:
        actions.replace_peer_figures(by=SYSTEM, organisation=world.P, rows=[good, good])
    assert exc.value.codes == ["peer_twice"]
    assert PeerFigure.objects.count() == 0


def test_the_importer_reports_the_rule_on_its_row(world):
    from serment.admissions import importers

    rows = [
        (2, {"peer_name": "Tỉnh A", "year": "2022", "admitted": "10", "members": "100"}),
        (3, {"peer_name": "Tỉnh A", "year": "2022", "admitted": "12", "members": "120"}),
        (4, {"peer_name": world.P.name, "year": "2022", "admitted": "12", "members": "120"}),
    ]
    report = importers.import_peer_rows(by=SYSTEM, rows=rows, dry_run=False, target=world.P)
    assert [(e.row, e.column) for e in report.errors] == [(3, "peer_name"), (4, "peer_name")]
    assert PeerFigure.objects.count() == 0
