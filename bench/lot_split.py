"""Benchmark the lot-split advisor: time whole advise() calls on generated tenders.

Run: ``.venv/bin/python bench/lot_split.py [--items 1000] [--runs 15]``. It prints, for each
scenario, the item count, the median and 95th percentile of the wall time of advise() over
the runs, and what came out (proposals, lots, exactness). It does not pass or fail.

Scenarios (fixed seeds, so figures are comparable between runs):

* ``realistic``: services across 8 CPV divisions and about 60 codes, log-normal values
  (median EUR 20,000), 70% of items placed in one of the 19 municipalities or 12 named sites,
  a third with their own period;
* ``exact-heavy``: the time worst case we know of: 90 hard groups of exactly 10 items, the
  largest size the exact solver takes, in the size strategy;
* ``one-family``: all items in one CPV group and one place, so every strategy packs one
  large label.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.lots.advisor import Item, Options, advise  # noqa: E402
from portal.lots.rules import ContractType, default_threshold_paths, load_thresholds  # noqa: E402
from portal.reference.models import AuthorityKind  # noqa: E402
from portal.reference.services import MUNICIPALITIES, cpv_index  # noqa: E402

SERVICE_DIVISIONS = ("90", "77", "50", "79", "55", "71", "72", "80")


def _codes(divisions: tuple[str, ...], per_division: int, rng: random.Random) -> list[str]:
    codes: list[str] = []
    every = sorted(cpv_index())
    for division in divisions:
        pool = [c for c in every if c.startswith(division)]
        codes.extend(rng.sample(pool, min(per_division, len(pool))))
    return codes


def _value(rng: random.Random) -> Decimal:
    return Decimal(int(rng.lognormvariate(9.9, 1.1)) + 500)


def realistic(n: int, seed: int = 42) -> list[Item]:
    """Build ``n`` service items resembling a large regional framework."""
    rng = random.Random(seed)
    codes = _codes(SERVICE_DIVISIONS, 8, rng)
    places = [m.name_fr for m in MUNICIPALITIES] + [f"Site {k}" for k in range(1, 13)]
    items = []
    for k in range(n):
        place = rng.choice(places) if rng.random() < 0.7 else None
        start = end = None
        if rng.random() < 0.33:
            start = date(2026, rng.randint(1, 12), 1)
            end = date(start.year + rng.randint(1, 4), start.month, 1)
        items.append(
            Item(
                f"it-{k:05d}",
                f"item {k}",
                rng.choice(codes),
                _value(rng),
                Decimal(rng.randint(1, 50)),
                "unit",
                place,
                start,
                end,
            )
        )
    return items


def exact_heavy(n: int, seed: int = 7) -> list[Item]:
    """Build ``n`` items that keep the exact solver as busy as we know how.

    The size strategy's hard groups (division x band) hold 10 items each, its limit, in all 45
    CPV divisions (900 items); the rest go to one division. Every item has its own site, so the
    geography strategy packs one large label.
    """
    rng = random.Random(seed)
    divisions = sorted({c[:2] for c in cpv_index()})
    by_division = {d: sorted(c for c in cpv_index() if c.startswith(d)) for d in divisions}
    items = []
    for k in range(n):
        slot = k if k < 20 * len(divisions) else k % 20
        division = divisions[min(slot // 20, len(divisions) - 1)]
        codes = by_division[division]
        # With 48 months, a value up to EUR 800,000 is a small-band item (yearly <= 200,000).
        value = (
            Decimal(rng.randint(5_000, 700_000))
            if k % 2
            else Decimal(rng.randint(900_000, 3_000_000))
        )
        items.append(
            Item(
                f"ex-{k:05d}",
                f"item {k}",
                codes[(k * 7) % len(codes)],
                value,
                Decimal(1),
                "unit",
                f"Site {k}",
            )
        )
    return items


def one_family(n: int, seed: int = 3) -> list[Item]:
    """Build ``n`` cleaning items at one place: one large label for every strategy."""
    rng = random.Random(seed)
    return [
        Item(
            f"cl-{k:05d}",
            f"building {k}",
            "90911200-8",
            _value(rng),
            Decimal(1),
            "m2",
            "Schaerbeek",
        )
        for k in range(n)
    ]


def main() -> None:
    """Time advise() on each scenario and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    thresholds = load_thresholds(default_threshold_paths())
    options = Options(
        AuthorityKind.sub_central,
        ContractType.services,
        date(2026, 3, 1),
        max_lots_per_tenderer=3,
        combined_bids_allowed=True,
        coordination_lot=True,
        duration_months=48,
    )
    cpv_index()  # load the CPV list once, as a running portal would have
    print(f"python {sys.version.split()[0]}; runs per scenario: {args.runs}")
    for name, build in (
        ("realistic", realistic),
        ("exact-heavy", exact_heavy),
        ("one-family", one_family),
    ):
        items = build(args.items)
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            advice = advise(items, options, thresholds)
            timings.append(time.perf_counter() - started)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        shape = ", ".join(
            f"{p.strategy.value}={len(p.lots)} lots{' exact' if p.is_exact else ''}"
            for p in advice.proposals
        )
        print(
            f"{name:12s} items={len(items):5d} median={statistics.median(timings) * 1000:7.1f} ms"
            f" p95={p95 * 1000:7.1f} ms max={timings[-1] * 1000:7.1f} ms  [{shape}]"
        )


if __name__ == "__main__":
    main()
