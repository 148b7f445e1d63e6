"""Peak anonymous and file-backed resident memory of a process tree, sampled from /proc.

ru_maxrss counts every resident page, including pages of files a process maps (the ingest's
workers map the spools they read records from): those are the page cache's, shared and given
back under pressure without writing, not memory the process allocated. Sampling RssAnon and
RssFile tells the two apart. Linux only; elsewhere the sampler reports nothing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")


@dataclass(slots=True)
class Peaks:
    """The largest RssAnon and RssFile seen for one process, in KiB."""

    anon_kib: int = 0
    file_kib: int = 0


@dataclass(slots=True)
class TreeSampler:
    """Samples `root` and every process below it every `interval` seconds while running."""

    root: int
    interval: float = 0.05
    peaks: dict[int, Peaks] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> TreeSampler:
        if PROC.is_dir():
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            for pid in _tree(self.root):
                sample = _rss(pid)
                if sample is None:
                    continue
                peaks = self.peaks.setdefault(pid, Peaks())
                peaks.anon_kib = max(peaks.anon_kib, sample[0])
                peaks.file_kib = max(peaks.file_kib, sample[1])

    def summary(self) -> str:
        """One sentence on the root's and the largest other process's peaks, or ''."""
        root = self.peaks.get(self.root)
        others = [peaks for pid, peaks in self.peaks.items() if pid != self.root]
        if root is None or not others:
            return ""
        largest = max(others, key=lambda peaks: peaks.anon_kib)
        kib_per_gib = 1024**2
        return (
            f"Sampled every {self.interval * 1000:.0f} ms (RssAnon and RssFile in /proc): the "
            f"ingest process's anonymous memory peaked at {root.anon_kib / kib_per_gib:.2f} "
            f"GiB; the largest worker's at {largest.anon_kib / kib_per_gib:.2f} GiB, beside "
            f"{largest.file_kib / kib_per_gib:.2f} GiB of file pages it maps (its libraries and "
            "the spools it reads records from, shared with the page cache)."
        )


def _tree(root: int) -> list[int]:
    """`root` and its descendants (those alive now)."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        try:
            for task in (PROC / str(pid) / "task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _rss(pid: int) -> tuple[int, int] | None:
    """(RssAnon, RssFile) of `pid` in KiB, or None for a process gone or a zombie."""
    try:
        text = (PROC / str(pid) / "status").read_text()
    except OSError:
        return None
    values: dict[str, int] = {}
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        if name in ("RssAnon", "RssFile"):
            values[name] = int(rest.split()[0])
    if len(values) < 2:
        return None
    return values["RssAnon"], values["RssFile"]
