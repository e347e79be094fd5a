"""Show a long build's progress (only on a terminal) and summarise what it did."""

from __future__ import annotations

import sys
from typing import Any, TextIO


class Progress:
    """A progress bar on stderr when it is a terminal (tqdm), silent otherwise; its total may grow."""

    def __init__(self, enabled: bool | None = None, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.bar: Any = None
        self.total = 0

    def add(self, count: int) -> None:
        """Announce `count` more files to make."""
        if count <= 0:
            return
        self.total += count
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=self.total, unit="file", desc="Building", file=self.stream, leave=False, dynamic_ncols=True)
        else:
            self.bar.total = self.total
            self.bar.refresh()

    def done(self, what: str = "") -> None:
        """Count one file made."""
        if self.bar is not None:
            if what:
                self.bar.set_postfix_str(what, refresh=False)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def summary_table(rows: list[tuple[str, int, int, float]], limit: int = 25) -> str:
    """Tabulate (briefing, built, skipped, seconds spent making its files), busiest first past `limit` rows."""
    if not rows:
        return ""
    shown = rows if len(rows) <= limit else sorted(rows, key=lambda r: (-r[1], r[0]))[:limit]
    width = max(len("briefing"), *(len(r[0]) for r in shown))
    lines = [f"{'briefing':<{width}}  {'built':>5}  {'skipped':>7}  {'render time':>11}"]
    lines += [f"{slug:<{width}}  {built:>5}  {skipped:>7}  {seconds:>10.1f}s" for slug, built, skipped, seconds in shown]
    if len(rows) > len(shown):
        lines.append(f"… and {len(rows) - len(shown)} more briefing(s) (every output is listed in manifest.json)")
    return "\n".join(lines)
