"""The benchmark's memory sampler tells a process's heap from the file pages it maps."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.memory_sampler import TreeSampler

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="Linux /proc")

# A child that fills 96 MiB of heap, then maps and reads 64 MiB of a file, and waits a moment.
_CHILD = """
import mmap, sys, time
heap = bytearray(96 << 20)
for i in range(0, len(heap), 4096):
    heap[i] = 1
with open(sys.argv[1], "rb") as f:
    mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    total = sum(mapped[i] for i in range(0, len(mapped), 4096))
time.sleep(0.5)
"""


def test_heap_and_mapped_file_pages_are_told_apart(tmp_path: Path) -> None:
    data = tmp_path / "spool"
    data.write_bytes(b"x" * (64 << 20))
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(data)])
    with TreeSampler(child.pid, interval=0.02) as sampler:
        child.wait()
    peaks = sampler.peaks[child.pid]
    mib = 1024
    assert 90 * mib <= peaks.anon_kib < 160 * mib
    assert peaks.file_kib >= 60 * mib


def test_a_workers_heap_is_sampled_below_the_root(tmp_path: Path) -> None:
    # a parent that starts one worker, which fills 64 MiB of heap
    worker = (
        "import time; b = bytearray(64 << 20); b[::4096] = b'1' * len(b[::4096]); time.sleep(0.5)"
    )
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {worker!r}])"
    child = subprocess.Popen([sys.executable, "-c", parent])
    with TreeSampler(child.pid, interval=0.02) as sampler:
        child.wait()
    workers = [peaks for pid, peaks in sampler.peaks.items() if pid != child.pid]
    assert max(peaks.anon_kib for peaks in workers) >= 60 * 1024
    assert sampler.peaks[child.pid].anon_kib < 60 * 1024
    assert "the largest worker's at 0.0" in sampler.summary()
