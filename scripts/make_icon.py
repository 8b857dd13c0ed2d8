"""Draw the application icon, resources/icons/send-desktop.png (256x256, transparent corners).

The PNG is committed; run this only to change it:  .venv/bin/python scripts/make_icon.py
Drawn with matplotlib (already a dependency) so no image library or editor is needed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyBboxPatch, Polygon, Rectangle  # noqa: E402

SIZE = 256
BLUE = "#1f4e79"
PAPER = "#ffffff"
GREEN = "#2e9e5b"
AMBER = "#f0a030"
RED = "#d9534f"
GREY = "#c9d3de"


def draw(out: Path) -> None:
    fig = plt.figure(figsize=(1, 1), dpi=SIZE)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, SIZE)
    ax.set_ylim(0, SIZE)
    ax.set_axis_off()
    fig.patch.set_alpha(0)

    # Rounded tile.
    ax.add_patch(FancyBboxPatch((12, 12), SIZE - 24, SIZE - 24, boxstyle="round,pad=0,rounding_size=44",
                                facecolor=BLUE, edgecolor="none"))
    # A sheet of the plan with a folded corner.
    left, right, bottom, top, fold = 58, 198, 38, 218, 30
    ax.add_patch(Polygon([(left, bottom), (right, bottom), (right, top - fold), (right - fold, top),
                          (left, top)], closed=True, facecolor=PAPER, edgecolor="none"))
    ax.add_patch(Polygon([(right - fold, top), (right - fold, top - fold), (right, top - fold)],
                         closed=True, facecolor=GREY, edgecolor="none"))
    # Three actions, each with a rating dot (red, amber, green) and a line of text.
    for i, colour in enumerate((GREEN, AMBER, RED)):
        y = 70 + i * 44
        ax.add_patch(plt.Circle((84, y + 7), 12, facecolor=colour, edgecolor="none"))
        ax.add_patch(Rectangle((106, y + 1), 70 - 16 * (i == 2), 12, facecolor=GREY, edgecolor="none"))

    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=SIZE, transparent=True)
    plt.close(fig)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        Path(__file__).resolve().parent.parent / "resources" / "icons" / "send-desktop.png")
    draw(target)
    print(f"wrote {target}")
