"""Charts for the pack, drawn with matplotlib's object API (no pyplot state) into PNG bytes.

Print-safe: every bar carries its count as text, statuses are told apart by hatching as well as
colour, and the legend names each level, so a black-and-white copy reads the same.
"""

from __future__ import annotations

import io

HATCHES = ("", "///", "...", "xxx", "\\\\\\", "ooo", "---")


def _figure(width_in: float, height_in: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=150)
    fig.patch.set_facecolor("white")
    return fig


def png(fig) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=150)
    return out.getvalue()


def stacked_status_bars(groups: list[str], levels: list[dict], counts: dict[str, dict[str, int]],
                        title: str, width_in: float = 7.2, height_in: float | None = None) -> bytes:
    """Horizontal stacked bars: one per group (a priority, a workstream), one segment per status
    level, each segment labelled with its count."""
    height_in = height_in or max(1.6, 0.42 * len(groups) + 1.1)
    fig = _figure(width_in, height_in)
    ax = fig.add_axes((0.30, 0.22 if len(groups) < 4 else 0.16, 0.66, 0.62 if len(groups) < 4 else 0.7))
    y = list(range(len(groups)))[::-1]
    left = [0] * len(groups)
    for i, level in enumerate(levels):
        values = [counts.get(g, {}).get(level["label"], 0) for g in groups]
        bars = ax.barh(y, values, left=left, color=level.get("colour") or "#d9d9d9", edgecolor="#333333",
                       linewidth=0.5, hatch=HATCHES[i % len(HATCHES)], label=level["label"])
        for bar, v in zip(bars, values):
            if v:
                ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2, str(v),
                        ha="center", va="center", fontsize=7, color="black",
                        bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.85))
        left = [a + b for a, b in zip(left, values)]
    ax.set_yticks(y)
    ax.set_yticklabels([g if len(g) <= 38 else g[:36] + "…" for g in groups], fontsize=7.5)
    ax.set_xlabel("actions", fontsize=7.5)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_xlim(0, max(left + [1]) * 1.02)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, fontsize=9, loc="left", fontweight="bold")
    ax.legend(loc="upper center", bbox_to_anchor=(0.35, -0.12 if len(groups) >= 4 else -0.25),
              ncol=min(len(levels), 5), fontsize=7, frameon=False)
    return png(fig)
