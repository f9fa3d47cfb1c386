"""Figures written with matplotlib (extra ``plot``): one place for the import, the file format
and the write, so that every ``--plot`` behaves the same."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from realize.apps.outputs import check_target, write_file
from realize.errors import InputError


def write_plot(path: str | Path, draw: Callable[[Any], None], size: tuple[float, float] = (6, 4)) -> None:
    """``draw(ax)`` on a new figure, saved to ``path`` in the format its extension names (png,
    svg, pdf, ...; none: png; matplotlib would add ``.png`` to a name without extension)."""
    check_target(path, "--plot")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise InputError("--plot needs matplotlib: pip install 'realize[plot]'") from None
    fig, ax = plt.subplots(figsize=size)
    try:
        image = Path(path).suffix[1:].lower() or "png"
        formats = fig.canvas.get_supported_filetypes()
        if image not in formats:
            raise InputError(f"--plot: matplotlib cannot write .{image} files "
                             f"(choose from {', '.join(sorted(formats))})")
        draw(ax)
        ax.grid(True, alpha=0.3)
        ax.legend()
        fig.tight_layout()
        write_file(path, lambda target: fig.savefig(target, format=image), "--plot")
    finally:
        plt.close(fig)
