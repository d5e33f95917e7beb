"""Charts drawn on the server as SVG, from data (no JavaScript, no external assets).

A chart is a list of labelled bars with a value in percent (or a count); the
template ``home/chart.html`` draws it as horizontal bars (they stay readable on a
phone and with long Vietnamese names) and always shows the same figures as a table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# A narrow drawing (360 units, the width of a phone) so that its 12-unit text stays
# readable when scaled down on a phone; on a desktop it is shown at most 30rem wide.
WIDTH = 360
LABEL_H = 16
BAR_H = 12
ROW_H = LABEL_H + BAR_H + 8
VALUE_W = 0  # the value is written on the label's line, above the bar


@dataclass
class Bar:
    label: str
    value: Decimal | int | None
    text: str  # the value as written
    url: str = ""
    series: int = 0  # colour index
    y: int = 0
    width: float = 0.0


@dataclass
class Chart:
    title: Any
    bars: list[Bar]
    unit: str = "%"
    target: Decimal | None = None  # a vertical line (the Congress target)
    target_label: Any = ""
    maximum: Decimal | None = None
    legend: list[tuple[int, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        top = self.maximum
        if top is None:
            values = [Decimal(b.value) for b in self.bars if b.value is not None]
            if self.target is not None:
                values.append(Decimal(self.target))
            top = max(values, default=Decimal(0)) or Decimal(1)
        self.maximum = Decimal(top)
        span = WIDTH - VALUE_W
        for i, b in enumerate(self.bars):
            b.y = i * ROW_H
            b.width = float(Decimal(b.value or 0) / self.maximum * span) if self.maximum else 0.0

    @property
    def height(self) -> int:
        return max(len(self.bars) * ROW_H, ROW_H)

    @property
    def target_x(self) -> float | None:
        if self.target is None or not self.maximum:
            return None
        return float(Decimal(self.target) / self.maximum * (WIDTH - VALUE_W))

    @property
    def width(self) -> int:
        return WIDTH


def number(value: Any) -> str:
    """A count or share written as the reader's language writes it (42.022 in Vietnamese)."""
    from django.utils import numberformat
    from django.utils.formats import get_format

    if value is None:
        return "—"
    # grouped by thousands in every language (Django's Vietnamese formats group by none)
    return numberformat.format(
        value,
        get_format("DECIMAL_SEPARATOR"),
        grouping=3,
        thousand_sep=get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def percent_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{number(value)}%"


RANK_HEIGHT = 120
RANK_TOP = 22  # room above the columns for the label of the chosen organisation


@dataclass
class RankColumn:
    rank: int
    label: str
    value: Decimal
    text: str
    admitted: int
    members: int
    is_self: bool
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0

    @property
    def admitted_text(self) -> str:
        return number(self.admitted)

    @property
    def members_text(self) -> str:
        return number(self.members)


@dataclass
class RankChart:
    """Peers ranked by a share, one thin column each (highest first), the chosen
    organisation marked and labelled with its rank ("rank 3 of 67")."""

    title: Any
    columns: list[RankColumn]
    rank: int
    count: int
    rank_label: Any = ""
    template: str = "home/rank_chart.html"
    width: int = WIDTH
    height: int = RANK_HEIGHT

    def __post_init__(self) -> None:
        top = max((c.value for c in self.columns), default=Decimal(0)) or Decimal(1)
        step = WIDTH / max(len(self.columns), 1)
        span = RANK_HEIGHT - RANK_TOP
        for i, c in enumerate(self.columns):
            c.width = max(step - 1, 1.0)
            c.x = i * step
            c.height = float(c.value / top * span)
            c.y = RANK_HEIGHT - c.height

    @property
    def own(self) -> RankColumn | None:
        return next((c for c in self.columns if c.is_self), None)

    @property
    def label_x(self) -> float:
        """Where the rank's label starts: over its column, kept inside the drawing."""
        own = self.own
        if own is None:
            return 0.0
        return min(max(own.x + own.width / 2 - 40, 0.0), WIDTH - 120.0)


def peer_rank_chart(peers: list[Any], title: Any) -> RankChart | None:
    """The admissions ranking among peers (``admissions.queries.PeerLine`` rows, ranked)."""
    from django.utils.translation import gettext as _

    own = next((p for p in peers if p.is_self), None)
    if own is None or len(peers) < 2:
        return None
    columns = [
        RankColumn(p.rank, p.name, Decimal(p.rate), percent_text(p.rate), p.admitted, p.members, p.is_self)
        for p in peers
    ]
    return RankChart(
        title=title,
        columns=columns,
        rank=own.rank,
        count=len(peers),
        rank_label=_("rank %(rank)s of %(n)s: %(rate)s")
        % {"rank": own.rank, "n": len(peers), "rate": percent_text(own.rate)},
    )
