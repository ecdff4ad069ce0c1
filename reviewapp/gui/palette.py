"""Category colours shared by the reader, the findings panel and the form."""

from __future__ import annotations

from reviewapp.core.models import Category

# Strong colours for marks and icons; pale ones for highlighted text (with dark text on top,
# so they read in light and dark palettes alike).
_STRONG = {
    Category.EFFICACY: "#1B7F3B",
    Category.TOXICITY: "#B3261E",
    Category.MECHANISM: "#1F5FAD",
    Category.REFERENCE: "#6B4FA0",
}
_PALE = {
    Category.EFFICACY: "#CDEFD6",
    Category.TOXICITY: "#F9D3D0",
    Category.MECHANISM: "#D3E3F8",
    Category.REFERENCE: "#E4DCF3",
}
SEARCH_HIGHLIGHT = "#FFE58F"


def category_colour(category: Category) -> str:
    return _STRONG[category]


def category_highlight(category: Category) -> str:
    return _PALE[category]
