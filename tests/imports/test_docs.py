"""The format pages cannot drift from the importers: each registered kind has its page
under docs/import-formats/, whose column table is the one its declaration generates
(regenerate with ``serment import --write-docs .``)."""

from pathlib import Path

import pytest
from django.utils import translation

from serment.core.imports import columns_markdown, kinds

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("kind", kinds(), ids=lambda k: k.name)
def test_every_kind_has_a_format_page_with_its_declared_columns(kind):
    page = ROOT / kind.doc_page
    assert page.exists(), f"{kind.doc_page} is missing: run serment import --write-docs ."
    with translation.override("en"):
        expected = columns_markdown(kind)
    assert expected in page.read_text(encoding="utf-8"), (
        f"{kind.doc_page} is stale: run serment import --write-docs ."
    )


def test_the_index_links_every_kind_and_the_old_single_page_is_gone():
    index = (ROOT / "docs/import-formats/README.md").read_text(encoding="utf-8")
    for kind in kinds():
        assert f"`{kind.name}`" in index and f"({Path(kind.doc_page).name})" in index
    assert not (ROOT / "docs/import-formats.md").exists()


def test_a_generated_table_names_each_column_in_english_and_vietnamese():
    from serment.core.imports import get_kind

    with translation.override("en"):
        table = columns_markdown(get_kind("members"))
    assert "| `date_of_birth` | Ngày sinh |" in table
    assert "| `destination` | Nơi chuyển đến |" in table and "at most 200 characters" in table
