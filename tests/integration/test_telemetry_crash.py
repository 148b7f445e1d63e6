"""Writers in real processes: killed mid-batch the file stays intact with every committed event;
two processes writing one file at once lose nothing; an exit without close() still drains."""

from __future__ import annotations

import itertools
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")

# The child: records ScreenOpened events with a running number in the screen id and prints
# "committed N" after every commit. Modes:
#   stall   the writer stops inside its 3rd transaction (rows inserted, not committed) and
#           prints "uncommitted K", so the parent can kill it mid-batch for certain;
#   stream  records as fast as it can until killed;
#   fixed   prints "ready", waits for the go file, records COUNT events, exits (closing only
#           if CLOSE=1; otherwise atexit drains the queue).
CHILD = r"""
import os, sys, time
from c360tui.telemetry.events import Context, ScreenOpened
from c360tui.telemetry.writer import TelemetryWriter

path, mode, session, count, close = sys.argv[1:6]
count = int(count)

def report(total):
    print(f"committed {total}", flush=True)

class Stalling(TelemetryWriter):
    def _insert_rows(self, rows):
        super()._insert_rows(rows)
        if self.committed >= 2 * 500:
            print(f"uncommitted {len(rows)}", flush=True)
            time.sleep(120)

ctx = Context(session, "rep", "rep-test", role="sdr", view="sdr_morning", spec_version="1")
if mode == "stall":
    writer = Stalling(path, on_commit=report, interval=0.05, max_batch=500)
    writer._conn.execute("PRAGMA cache_size = 10")  # spill the open transaction into the WAL
elif mode == "stream":
    writer = TelemetryWriter(path, on_commit=report, interval=0.02, max_batch=300)
else:
    writer = TelemetryWriter(path, interval=0.005, max_batch=25)
    go = path + ".go"
    print("ready", flush=True)
    while not os.path.exists(go):
        time.sleep(0.005)

i = 0
while mode != "fixed" or i < count:
    writer.record(ScreenOpened(ctx, screen=f"n{i}"))
    i += 1
    if mode == "fixed" and i % 50 == 0:
        # let the other process in between our batches: spread over ~0.3 s, the two runs
        # overlap even on a loaded machine (at 1 ms a pause, one could finish first)
        time.sleep(0.005)
    if mode != "fixed" and i % 2000 == 0:
        time.sleep(0.01)  # keep the queue bounded while waiting to be killed
if close == "1":
    writer.close()
"""


class Child:
    """A writer process whose stdout lines arrive on a queue (so waits can time out)."""

    def __init__(
        self, tmp: Path, path: Path, mode: str, session: str, count: int = 0, close: bool = True
    ) -> None:
        script = tmp / "child.py"
        script.write_text(CHILD)
        args = [
            sys.executable,
            str(script),
            str(path),
            mode,
            session,
            str(count),
            "1" if close else "0",
        ]
        self.proc = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())

    def wait_for(self, prefix: str, timeout: float = 60.0) -> list[str]:
        """Lines up to and including the first that starts with `prefix`."""
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                # whether it died or hung, and what it said on stderr, so a failure can be read
                exited = self.proc.poll()
                self.proc.kill()
                self.proc.wait(timeout=30)
                assert self.proc.stderr is not None
                said = self.proc.stderr.read()[-2000:]
                raise AssertionError(
                    f"child never printed {prefix!r}; saw {seen[-3:]}; "
                    f"exit code {exited} before the kill; stderr: {said!r}"
                ) from None
            seen.append(line)
            if line.startswith(prefix):
                return seen

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        assert self.proc.returncode == -signal.SIGKILL


def committed(lines: list[str]) -> int:
    counts = [int(line.split()[1]) for line in lines if line.startswith("committed ")]
    return max(counts, default=0)


def stored(path: Path) -> tuple[str, list[tuple[str, int, str]]]:
    """(integrity_check result, [(session, seq, payload)] in seq order) after a crash."""
    conn = sqlite3.connect(path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        rows = conn.execute("SELECT session_id, seq, payload FROM events ORDER BY session_id, seq")
        return integrity, rows.fetchall()
    finally:
        conn.close()


def test_killed_inside_a_transaction_the_file_is_intact_with_every_committed_event(
    tmp_path: Path,
) -> None:
    path = tmp_path / "telemetry.db"
    child = Child(tmp_path, path, "stall", "crash")
    lines = child.wait_for("uncommitted")
    child.kill()
    reported = committed(lines)
    assert reported == 1000  # two full batches, the third was being written
    integrity, rows = stored(path)
    assert integrity == "ok"
    assert [seq for _, seq, _ in rows] == list(range(reported))  # all committed, none of the rest
    assert rows[-1][2] == '{"screen":"n999"}'


def test_killed_at_an_arbitrary_moment_every_reported_commit_survives(tmp_path: Path) -> None:
    path = tmp_path / "telemetry.db"
    child = Child(tmp_path, path, "stream", "stream")
    lines: list[str] = []
    for _ in range(8):
        lines += child.wait_for("committed")
    time.sleep(0.037)  # land somewhere inside a later batch
    child.kill()
    lines += list(iter_queue(child.lines))
    integrity, rows = stored(path)
    assert integrity == "ok"
    seqs = [seq for _, seq, _ in rows]
    assert len(seqs) >= committed(lines) > 0
    assert seqs == list(range(len(seqs)))  # a prefix: nothing committed was lost, no holes


def iter_queue(lines: queue.Queue[str]) -> list[str]:
    time.sleep(0.2)  # let the pump thread deliver what the child printed before dying
    drained: list[str] = []
    while not lines.empty():
        drained.append(lines.get_nowait())
    return drained


@pytest.mark.parametrize("close", [True, False], ids=["close", "atexit"])
def test_two_processes_writing_one_new_file_at_once_lose_nothing(
    tmp_path: Path, close: bool
) -> None:
    path = tmp_path / "shared.db"
    children = [Child(tmp_path, path, "fixed", f"proc{n}", count=3000, close=close) for n in (1, 2)]
    try:
        for child in children:
            child.wait_for("ready")  # both have created or joined the file and are waiting
        Path(f"{path}.go").touch()
        for child in children:
            child.proc.wait(timeout=120)
            assert child.proc.stderr is not None
            assert child.proc.returncode == 0, child.proc.stderr.read()
    finally:
        for child in children:  # a failed wait must not leave the other child waiting forever
            if child.proc.poll() is None:
                child.proc.kill()
    integrity, rows = stored(path)
    assert integrity == "ok"
    for session in ("proc1", "proc2"):
        assert [seq for s, seq, _ in rows if s == session] == list(range(3000))
    conn = sqlite3.connect(path)
    ids = [row[0] for row in conn.execute("SELECT session_id FROM events ORDER BY id")]
    conn.close()
    switches = sum(1 for a, b in itertools.pairwise(ids) if a != b)
    assert switches > 1  # the two really did interleave their transactions
