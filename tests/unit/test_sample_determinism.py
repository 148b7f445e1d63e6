"""Same seed, same bytes: across runs, worker counts and output directories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from c360tui.sample import DEFAULT_AS_OF, SampleOptions, generate, parse_as_of

AS_OF = parse_as_of(DEFAULT_AS_OF)
COMMITTED = Path(__file__).resolve().parents[2] / "sample_data"


def _files(root: Path) -> dict[str, bytes]:
    """Every file the sample generator writes (telemetry/ is `c360 simulate-telemetry`'s)."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.relative_to(root).parts[0] != "telemetry"
    }


def _options(out: Path, **changes: object) -> SampleOptions:
    base: dict[str, object] = {"customers": 300, "seed": 5, "out": out, "as_of": AS_OF}
    base.update(changes)
    return SampleOptions(**base)  # type: ignore[arg-type]


def test_same_seed_writes_identical_bytes(tmp_path: Path) -> None:
    generate(_options(tmp_path / "a"))
    generate(_options(tmp_path / "b"))
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert len(first) == 12
    assert first == second


def test_parallel_chunks_write_the_same_bytes_as_one_process(tmp_path: Path) -> None:
    generate(_options(tmp_path / "one", chunk_size=70, jobs=1))
    generate(_options(tmp_path / "two", chunk_size=70, jobs=2))
    assert _files(tmp_path / "one") == _files(tmp_path / "two")


def test_another_seed_or_as_of_writes_other_data(tmp_path: Path) -> None:
    generate(_options(tmp_path / "a"))
    generate(_options(tmp_path / "b", seed=6))
    generate(_options(tmp_path / "c", as_of=parse_as_of("2025-06-01T00:00:00+00:00")))
    a, b, c = (_files(tmp_path / n) for n in "abc")
    assert a["crm_contacts.csv"] != b["crm_contacts.csv"]
    assert a["crm_contacts.csv"] != c["crm_contacts.csv"]


def test_manifest_lists_every_file_with_its_hash(tmp_path: Path) -> None:
    generate(_options(tmp_path))
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["as_of"] == "2026-11-30T15:00:00Z"
    assert (manifest["seed"], manifest["customers"]) == (5, 300)
    listed = {entry["path"] for entry in manifest["files"]}
    on_disk = set(_files(tmp_path)) - {"manifest.json", "README.md"}
    assert listed == on_disk


def test_skipping_truth_and_bad_rows_leaves_only_the_clean_feeds(tmp_path: Path) -> None:
    generate(_options(tmp_path, truth=False, bad_rows=False))
    assert not (tmp_path / "ground_truth").exists()
    assert (
        "None: this set was generated with `--no-bad-rows`." in (tmp_path / "README.md").read_text()
    )


@pytest.mark.skipif(not (COMMITTED / "manifest.json").exists(), reason="no committed sample")
def test_committed_sample_is_what_the_generator_writes(tmp_path: Path) -> None:
    manifest = json.loads((COMMITTED / "manifest.json").read_text())
    generate(
        SampleOptions(
            customers=manifest["customers"],
            seed=manifest["seed"],
            out=tmp_path,
            as_of=parse_as_of(manifest["as_of"]),
        )
    )
    fresh = _files(tmp_path)
    committed = _files(COMMITTED)
    assert set(fresh) == set(committed)
    for name, data in fresh.items():
        assert data == committed[name], f"sample_data/{name} is out of date: run c360 sample"
