"""A small map of the organisation tree for the dashboard, drawn on the server as SVG.

The chosen organisation's children are boxes sized by their current members and
coloured by the share of their members rated good or better in the dashboard's year
(the article's "> 92%" figure); each box links to that organisation's dashboard. The
layout is a squarified treemap (Bruls, Huizing and van Wijk, 2000) in a narrow
drawing, so that it reads on a phone; the same figures are always given as a table,
and it needs no JavaScript.

Three grouped queries whatever the size of the tree: the children, their members
(``organisations.queries.children_with_counts``) and their members' decided ratings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import CharField, Count, Q, Value
from django.db.models.functions import StrIndex, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from serment.core.reporting import percent
from serment.organisations.models import Organisation
from serment.organisations.queries import children_with_counts
from serment.ratings import queries as rating_queries
from serment.ratings.models import TargetGroup
from serment.ratings.policies import GOOD_OR_BETTER

from .charts import number, percent_text

WIDTH = 360
HEIGHT = 240
# The colour bands of the good-or-better share, darkest for the best; boxes of
# organisations with no decided rating in the year are grey. The article's figure for
# members is "> 92%" each year: one point per band above it shows the differences
# between districts that all pass it; below it, orange.
BANDS: tuple[tuple[Decimal, str, Any], ...] = (
    # xgettext:no-python-format
    (Decimal(95), "#0b3866", _("95% or more")),
    (Decimal(94), "#1a4f8b", _("94% to 95%")),
    (Decimal(93), "#4a7fbf", _("93% to 94%")),
    (Decimal(92), "#8fb3dc", _("92% to 93%")),
    (Decimal(0), "#e0a96d", _("under 92%")),
)
NO_DATA = ("#c8c8c8", _("no decided rating"))
# a box narrower or lower than this (in drawing units) carries no text: the table does
LABEL_MIN_W = 34
LABEL_MIN_H = 26


@dataclass
class Box:
    organisation: Organisation
    members: int
    rated: int
    good_or_better: int
    url: str
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0

    @property
    def share(self) -> Decimal | None:
        return percent(self.good_or_better, self.rated)

    @property
    def share_text(self) -> str:
        return percent_text(self.share)

    @property
    def members_text(self) -> str:
        return number(self.members)

    @property
    def fill(self) -> str:
        return band_of(self.share)[0]

    @property
    def dark(self) -> bool:
        """White text on the three darkest bands."""
        return self.fill in (BANDS[0][1], BANDS[1][1], BANDS[2][1])

    @property
    def labelled(self) -> bool:
        return self.w >= LABEL_MIN_W and self.h >= LABEL_MIN_H

    @property
    def short_label(self) -> str:
        """The last part of the code (``BT.04`` → ``04``) when the box is narrow."""
        code = self.organisation.code
        return code if self.w >= 8 * len(code) else code.rsplit(".", 1)[-1]


@dataclass
class TreeMap:
    title: Any
    organisation: Organisation
    year: int
    boxes: list[Box]
    width: int = WIDTH
    height: int = HEIGHT
    template: str = "home/treemap.html"
    legend: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def members(self) -> int:
        return sum(b.members for b in self.boxes)

    @property
    def rows(self) -> list[Box]:
        """The boxes as the table lists them: in tree order."""
        return sorted(self.boxes, key=lambda b: _natural(b.organisation.code))


def band_of(share: Decimal | None) -> tuple[str, Any]:
    if share is None:
        return NO_DATA
    for floor, colour, label in BANDS:
        if share >= floor:
            return colour, label
    return BANDS[-1][1], BANDS[-1][2]


def _natural(code: str) -> list[Any]:
    """``BT.9`` before ``BT.10``."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", code)]


def _child_path(lookup: str, root_path: str):
    """The path of the chosen organisation's child holding the row (``"1/14/203/"``
    under ``"1/"`` → ``"1/14/"``), computed by the database."""
    n = len(root_path)
    return Substr(lookup, 1, Value(n) + StrIndex(Substr(lookup, n + 1), Value("/")), output_field=CharField())


def ratings_by_child(viewer: Any, org: Organisation, year: int) -> dict[str, tuple[int, int]]:
    """``{child path: (members rated, rated good or better)}`` for ``year``'s decided
    member ratings in ``org``'s subtree, in one grouped query."""
    rows = (
        rating_queries.decided_ratings(viewer, org)
        .filter(year=year)
        .filter(rating_queries.GROUPS_BY_KEY[TargetGroup.MEMBERS].condition())
        .exclude(organisation__path=org.path)
        .annotate(child=_child_path("organisation__path", org.path))
        .values("child")
        .annotate(n=Count("pk"), good=Count("pk", filter=Q(level__in=GOOD_OR_BETTER)))
        .order_by()
    )
    return {r["child"]: (r["n"], r["good"]) for r in rows}


def squarify(
    sizes: list[float], x: float, y: float, w: float, h: float
) -> list[tuple[float, float, float, float]]:
    """Rectangles for ``sizes`` (sorted largest first, all > 0) filling the rectangle
    (x, y, w, h), each as close to a square as the squarified algorithm makes it."""
    total = sum(sizes)
    if not sizes or total <= 0:
        return []
    scale = w * h / total
    areas = [s * scale for s in sizes]
    out: list[tuple[float, float, float, float]] = []

    def worst(row: list[float], side: float) -> float:
        s = sum(row)
        return max(max(side * side * r / (s * s), (s * s) / (side * side * r)) for r in row)

    i = 0
    while i < len(areas):
        side = min(w, h)
        row = [areas[i]]
        i += 1
        while i < len(areas) and worst(row + [areas[i]], side) <= worst(row, side):
            row.append(areas[i])
            i += 1
        s = sum(row)
        if w >= h:  # a column at the left
            col_w = s / h if h else 0
            yy = y
            for a in row:
                bh = a / col_w if col_w else 0
                out.append((x, yy, col_w, bh))
                yy += bh
            x, w = x + col_w, w - col_w
        else:  # a row at the top
            row_h = s / w if w else 0
            xx = x
            for a in row:
                bw = a / row_h if row_h else 0
                out.append((xx, y, bw, row_h))
                xx += bw
            y, h = y + row_h, h - row_h
    return out


def tree_map(*, viewer: Any, org: Organisation, year: int, as_of_iso: str) -> TreeMap | None:
    """The map of ``org``'s children for the dashboard (None for an organisation
    without children holding members: a cell)."""
    children = [c for c in children_with_counts(viewer, org) if c.member_count]
    if not children:
        return None
    ratings = ratings_by_child(viewer, org, year)
    base = reverse("home:dashboard")
    boxes = []
    for c in sorted(children, key=lambda c: (-c.member_count, _natural(c.code))):
        rated, good = ratings.get(c.path, (0, 0))
        query = urlencode({"org": c.pk, "year": year, "as_of": as_of_iso})
        boxes.append(Box(c, c.member_count, rated, good, f"{base}?{query}"))
    for box, (x, y, w, h) in zip(
        boxes, squarify([b.members for b in boxes], 0, 0, WIDTH, HEIGHT), strict=True
    ):
        box.x, box.y, box.w, box.h = x, y, w, h
    used = {b.fill for b in boxes}
    legend = [(colour, label) for _floor, colour, label in BANDS if colour in used]
    if NO_DATA[0] in used:
        legend.append(NO_DATA)
    return TreeMap(
        title=_(
            "The organisations under %(org)s: size by members, colour by members rated good or better in %(year)s"
        )
        % {"org": org.name, "year": year},
        organisation=org,
        year=year,
        boxes=boxes,
        legend=legend,
    )
