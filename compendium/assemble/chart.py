"""The overview chart's geometry: proposals and stories per theme, as horizontal bars.

Python only computes positions; templates/_overview.html draws the SVG, so
Jinja's autoescaping guards every theme title. Hand-made SVG instead of a
plotting library: the chart is a few rectangles, the output must be
byte-identical from build to build (matplotlib embeds ids and dates), and it
is inlined in the HTML so WeasyPrint draws it as vectors with the document's
own fonts. Horizontal bars with the title above them leave room for long
Danish theme titles without cutting them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from compendium.assemble.context import ThemeView

WIDTH = 640.0
TOP = 36.0  # room for the legend
TITLE_HEIGHT = 16.0  # theme title line, above its bars
BAR = 13
BAR_GAP = 3.0
ROW_GAP = 14.0
VALUE_ROOM = 36.0  # right of the longest bar, for its number
ROW = TITLE_HEIGHT + 2 * BAR + BAR_GAP + ROW_GAP
# Print-safe colours that differ in lightness too, so a greyscale copy still tells them apart.
COLOURS = {"proposals": "#a6192e", "stories": "#8c8c92"}


def _n(x: float) -> float:
    """Round to hundredths, and drop '.0', so the SVG reads 604 rather than 604.0."""
    r = round(x, 2)
    return int(r) if r == int(r) else r


@dataclass(frozen=True)
class Bar:
    """One bar: which series, its value and where it goes."""

    series: str
    value: int
    y: float
    width: float
    colour: str

    @property
    def height(self) -> float:
        """Return the bar's thickness."""
        return BAR

    @property
    def share(self) -> float:
        """Return the bar's length as a percentage of the longest possible, for the chart drawn in HTML."""
        return _n(self.width / (WIDTH - VALUE_ROOM) * 100)

    @property
    def text_x(self) -> float:
        """Return where the bar's number starts."""
        return _n(self.width + 5)

    @property
    def text_y(self) -> float:
        """Return the baseline of the bar's number, centred on the bar."""
        return _n(self.y + BAR - 2.5)


@dataclass(frozen=True)
class Row:
    """One theme: its title line and its bars."""

    id: str
    title: str
    title_y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Chart:
    """The whole chart, in SVG user units."""

    width: float
    height: float
    rows: tuple[Row, ...]
    axis_top: float
    axis_bottom: float
    colours: dict[str, str]

    def value(self, row: Row, series: str) -> int:
        """Return one row's value of a series."""
        return next(b.value for b in row.bars if b.series == series)


def theme_chart(themes: list[ThemeView]) -> Chart:
    """Lay out the proposals and stories of each theme (an entry with two themes counts under both)."""
    counts = [(tv, {"proposals": len(tv.proposals), "stories": len(tv.stories)}) for tv in themes]
    largest = max((v for _, c in counts for v in c.values()), default=0) or 1
    scale = (WIDTH - VALUE_ROOM) / largest
    rows = []
    for i, (tv, values) in enumerate(counts):
        top = TOP + i * ROW
        bars = tuple(
            Bar(series, value, _n(top + TITLE_HEIGHT + n * (BAR + BAR_GAP)), _n(value * scale), colour)
            for n, (series, colour) in enumerate(COLOURS.items())
            for value in [values[series]]
        )
        rows.append(Row(tv.theme.id, tv.theme.title, _n(top + 12), bars))
    height = _n(TOP + len(rows) * ROW - ROW_GAP + 4)
    return Chart(_n(WIDTH), height, tuple(rows), _n(TOP + TITLE_HEIGHT - 2), _n(height - 2), COLOURS)
