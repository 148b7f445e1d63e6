"""Start to first paint, measured from outside as a terminal sees it (used by bench_tui).

Each app runs in a fresh process on a pseudo-terminal of 120x40 with Textual's real driver: the
parent is the terminal. It notes the time of the spawn, reads everything the app writes, and the
first paint is the moment the last of the screen's marker texts has arrived (escape sequences
stripped, so a marker is text the terminal would show). Then it sends ctrl+q and the app quits.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import resource
import select
import struct
import subprocess
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Escape sequences a terminal acts on instead of showing: CSI, OSC, and two-byte escapes.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_][^\x1b]*\x1b\\|\x1b[ -~]"
)
CTRL_Q = b"\x11"


@dataclass(frozen=True, slots=True)
class Start:
    """One start: seconds from spawn to the screen on the terminal, and the child's CPU seconds."""

    seconds: float
    cpu: float


def shown_text(raw: bytes) -> str:
    """What a terminal would show of `raw`, escape sequences removed, as one string."""
    return _ESCAPES.sub("", raw.decode("utf-8", errors="replace"))


def start_once(
    argv: Sequence[str],
    markers: Sequence[str],
    cwd: Path,
    env: dict[str, str],
    size: tuple[int, int] = (120, 40),
    timeout: float = 60.0,
) -> Start:
    """Spawn `argv` on a fresh pty; seconds until every marker has been written to it."""
    master, slave = pty.openpty()
    columns, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = {**env, "TERM": "xterm-256color", "COLORTERM": "truecolor", "COLUMNS": str(columns)}
    env.pop("TEXTUAL", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    child = subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=env,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    received = bytearray()
    painted: float | None = None
    deadline = started + timeout
    try:
        while True:
            wait = deadline - time.perf_counter()
            if wait <= 0:
                raise TimeoutError(f"{argv[1:3]} did not paint {markers} in {timeout:.0f} s")
            ready, _, _ = select.select([master], [], [], min(wait, 1.0))
            if not ready:
                if child.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            received += chunk
            if painted is None:
                text = shown_text(bytes(received))
                if all(marker in text for marker in markers):
                    painted = time.perf_counter() - started
                    os.write(master, CTRL_Q)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(master)
    if painted is None:
        tail = shown_text(bytes(received))[-600:]
        raise RuntimeError(f"{argv[1:3]} exited ({child.returncode}) before painting: {tail!r}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Start(painted, cpu)
