"""Import of posts held and of cadre decisions: all or nothing, every refused row
reported with the action's own refusal."""

import datetime as dt

from serment.cadres.importers import import_movements, import_posts
from serment.cadres.models import Movement
from serment.core.actors import SYSTEM
from serment.members.models import PostHolding

from .conftest import discipline


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


POSTS_HEADER = "Số thẻ đảng,Mã tổ chức,Chức vụ,Từ ngày,Hình thức"


def test_posts_import_is_all_or_nothing_and_names_the_bar(world):
    discipline(world.bob, "warning", dt.date(2023, 3, 15), ref="07-QĐ/UBKT")
    data = _csv(
        POSTS_HEADER,
        f"{world.alice.card_number},C1,Bí thư,15/06/2023,Bầu",
        f"{world.bob.card_number},C2,Bí thư,15/06/2023,Bầu",
    )
    report = import_posts(by=SYSTEM, data=data, filename="posts.csv", dry_run=False)
    # an election is barred by the 30 months after a warning (not by "in force", which
    # bars transfers, appointments and awards)
    assert [e.row for e in report.errors] == [3]
    assert "07-QĐ/UBKT" in report.errors[0].message and "15 Sep 2025" in report.errors[0].message
    assert not PostHolding.objects.exists()


def test_posts_import_dry_run_then_real(world):
    data = _csv(POSTS_HEADER, f"{world.alice.card_number},C1,secretary,2023-06-15,election")
    dry = import_posts(by=SYSTEM, data=data, filename="posts.csv", dry_run=True)
    assert (dry.ok, dry.created) == (True, 1)
    assert not PostHolding.objects.exists()
    real = import_posts(by=SYSTEM, data=data, filename="posts.csv", dry_run=False)
    assert real.created == 1
    holding = PostHolding.objects.get()
    assert (holding.member, holding.post, holding.began_how, holding.management_level) == (
        world.alice,
        "secretary",
        "election",
        "grassroots",
    )


def test_decisions_import_applies_rows_in_order(world):
    import_posts(
        by=SYSTEM,
        data=_csv(POSTS_HEADER, f"{world.carol.card_number},D2,Bí thư,2020-09-20,Bầu"),
        filename="p.csv",
        dry_run=False,
    )
    header = "Số thẻ đảng,Loại quyết định,Số quyết định,Ngày quyết định,Cơ quan quyết định,Cấp quyết định,Mã tổ chức,Chức vụ,Mã tổ chức cũ,Chức vụ cũ"
    data = _csv(
        header,
        # carol leaves the D2 secretary seat, then alice takes it
        f"{world.carol.card_number},Điều động,10-QĐ/TU,2022-04-01,Ban Thường vụ Tỉnh ủy,provincial,P,deputy_head,D2,secretary",
        f"{world.alice.card_number},Luân chuyển,11-QĐ/TU,2022-04-01,Ban Thường vụ Tỉnh ủy,provincial,D2,Bí thư,,",
    )
    report = import_movements(by=SYSTEM, data=data, filename="d.csv", dry_run=False)
    assert report.errors == []
    assert report.created == 2
    assert (
        PostHolding.objects.get(organisation=world.D2, post="secretary", ends_on__isnull=True).member
        == world.alice
    )
    assert Movement.objects.count() == 2


def test_decisions_import_refuses_a_taken_seat(world):
    import_posts(
        by=SYSTEM,
        data=_csv(POSTS_HEADER, f"{world.carol.card_number},D2,Bí thư,2020-09-20,Bầu"),
        filename="p.csv",
        dry_run=False,
    )
    header = "card_number,kind,document_ref,decided_on,deciding_body,deciding_level,organisation_code,post"
    data = _csv(
        header,
        f"{world.alice.card_number},rotation,11-QĐ/TU,2022-04-01,Ban Thường vụ Tỉnh ủy,provincial,D2,secretary",
    )
    report = import_movements(by=SYSTEM, data=data, filename="d.csv", dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(2, "post")]
    assert not Movement.objects.exists()
