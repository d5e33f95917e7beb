"""Member search ignores diacritics and case; names sort as Vietnamese readers expect."""

import pytest

from serment.core.actors import SYSTEM
from serment.members.actions import update_member_details
from serment.members.names import search_key, sort_key
from serment.members.queries import search_members
from tests import factories as f


@pytest.fixture
def names(world):
    for name in (
        "Nguyễn Văn An",
        "Nguyễn Văn Bình",
        "Huỳnh Thị Hoa",
        "Hồ Thị Hoa",
        "Phan Văn Đức",
        "Phạm Văn Đức",
    ):
        f.member(world.C1, full_name=name)
    return world


def found(viewer, q):
    return [m.full_name for m in search_members(viewer=viewer, q=q)]


@pytest.mark.parametrize("q", ["nguyen van", "NGUYEN VAN", "Nguyễn Văn", "nguyễn văn", "  nguyen   van "])
def test_search_ignores_diacritics_and_case(names, q):
    assert found(names.admin, q) == ["Nguyễn Văn An", "Nguyễn Văn Bình"]


def test_d_with_stroke_is_found_as_d(names):
    assert found(names.admin, "duc") == ["Phạm Văn Đức", "Phan Văn Đức"]


def test_search_stays_within_the_viewers_scope(names):
    assert found(names.outsider, "nguyen van") == []


def test_a_corrected_name_is_found_by_its_new_spelling(names):
    member = search_members(viewer=names.admin, q="binh").get()
    update_member_details(by=SYSTEM, member=member, full_name="Trịnh Văn Bính")
    assert found(names.admin, "trinh van binh") == ["Trịnh Văn Bính"]
    assert found(names.admin, "nguyen van binh") == []


def test_names_sort_by_given_name_then_middle_and_surname_in_vietnamese_order(names):
    listed = [m.full_name for m in search_members(viewer=names.admin, organisation=names.C1)]
    assert listed == [
        "Trần Thị Alice",  # l before n
        "Nguyễn Văn An",
        "Nguyễn Văn Bình",
        "Phạm Văn Đức",  # m before n: Phạm before Phan
        "Phan Văn Đức",
        "Hồ Thị Hoa",  # ô before u: Hồ before Huỳnh
        "Huỳnh Thị Hoa",
    ]


def test_tones_only_break_ties():
    assert sort_key("Lê Văn Ba") < sort_key("Lê Văn Bà") < sort_key("Lê Văn Bả") < sort_key("Lê Văn Bạ")
    assert sort_key("Lê Văn Bạ") < sort_key("Lê Văn Bai")


def test_the_keys_are_plain_text():
    assert search_key("Đỗ  Thị Ánh") == "do thi anh"
    assert sort_key("Đỗ Thị Ánh").isascii() and sort_key("Đỗ Thị Ánh").islower()


@pytest.mark.django_db
def test_on_postgresql_the_search_column_has_a_trigram_index():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the trigram index is PostgreSQL's; SQLite scans the indexed column")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'members_member_search_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition
