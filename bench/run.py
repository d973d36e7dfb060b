"""`make bench`: run the benchmarks, write bench/results.json and BENCHMARKS.md.

    .venv/bin/python bench/run.py [--full] [--only a,c,...]

The default scale fits in a few minutes; --full runs the sizes the figures are meant for. The
machines are shared and noisy: figures that compare are ratios measured side by side in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import distributed, fleet_scale, memory, national, recrawl, store, stories, throughput  # noqa: E402

BENCHMARKS = {
    "a": ("Pipeline throughput", throughput),
    "b": ("Fleet scale", fleet_scale),
    "c": ("Recrawl economy", recrawl),
    "d": ("Memory", memory),
    "e": ("Distributed scaling", distributed),
    "f": ("Store: upserts and /articles latency", store),
    "g": ("Stories: assigning articles to stories", stories),
    "h": ("National archive: the store at 100,000 and 1,000,000 articles", national),
}
SCALES = {
    "default": {"throughput_articles_per_portal": 200, "fleet_hosts": [100, 300], "recrawl_new_articles": 3,
                "memory_pages": 5_000, "distributed_articles_per_portal": 400, "store_articles": 1000,
                "story_articles": 10_000},
    "full": {"throughput_articles_per_portal": 1000, "fleet_hosts": [100, 1000, 3000], "recrawl_new_articles": 3,
             "memory_pages": 100_000, "distributed_articles_per_portal": 1000, "store_articles": 100_000,
             "story_articles": 100_000},
}
RESULTS = ROOT / "bench" / "results.json"
PROFILE_NOTES = ROOT / "bench" / "profile.md"  # hand-written: what profiling found, before and after


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_mib": memory, "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the full scale (long)")
    parser.add_argument("--only", help="comma-separated letters, e.g. a,c")
    parser.add_argument("--national", nargs="?", const="100000,1000000", metavar="SIZES",
                        help="h at national scale: stores of 100,000 and 1,000,000 articles, built once into "
                             "bench/.cache and reused (or comma-separated sizes)")
    args = parser.parse_args()
    scale_name = "full" if args.full else "default"
    if args.national:
        try:
            SCALES[scale_name]["national_articles"] = sorted(int(size) for size in args.national.split(","))
        except ValueError:
            print(f"bench: --national takes article counts such as 100000,1000000, not {args.national!r}", file=sys.stderr)
            return 2
    chosen = args.only.split(",") if args.only else list(BENCHMARKS)
    unknown = [letter for letter in chosen if letter not in BENCHMARKS]
    if unknown:
        print(f"bench: unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    results = {"machine": machine(), "scale": scale_name, "started": datetime.now(UTC).isoformat(timespec="seconds"),
               "benchmarks": {}}
    if args.only and RESULTS.exists():  # a partial run updates the figures it measured and keeps the others
        earlier = json.loads(RESULTS.read_text())
        if earlier.get("scale") == scale_name:
            results["benchmarks"] = earlier["benchmarks"]
    failed = []
    for letter in chosen:
        title, module = BENCHMARKS[letter]
        print(f"[{letter}] {title} ...", file=sys.stderr, flush=True)
        began = time.monotonic()
        try:
            outcome = module.run(SCALES[scale_name])
        except Exception as error:  # one broken benchmark must not lose the others' figures
            print(f"[{letter}] failed: {str(error)[-2000:]}", file=sys.stderr, flush=True)
            failed.append(letter)
            continue
        outcome["seconds"] = round(time.monotonic() - began, 1)
        outcome["measured"] = datetime.now(UTC).isoformat(timespec="seconds")
        results["benchmarks"][letter] = {"title": title, **outcome}
        print(f"[{letter}] done in {outcome['seconds']} s: {json.dumps(outcome['figures'], ensure_ascii=False)}",
              file=sys.stderr, flush=True)
        write(results)  # after each benchmark: a long run stopped halfway keeps what it measured
    print("wrote bench/results.json and BENCHMARKS.md", file=sys.stderr)
    if failed:
        print(f"bench: failed: {', '.join(failed)} (their earlier figures, if any, are kept)", file=sys.stderr)
        return 1
    return 0


def write(results: dict) -> None:
    results["benchmarks"] = dict(sorted(results["benchmarks"].items()))
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (ROOT / "BENCHMARKS.md").write_text(report(results))


def report(results: dict) -> str:
    m = results["machine"]
    lines = ["# Benchmarks", "",
             f"Generated by `make bench` ({results['scale']} scale) on {results['started']}. "
             f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_mib']:,} MiB, Python {m['python']}, {m['system']}. "
             "The machines are shared and noisy: compare the ratios, measured side by side in one run, not seconds "
             "across runs. Reproduce: `make bench` (default scale) or `.venv/bin/python bench/run.py --full`; one "
             "benchmark: `--only a`.", ""]
    for letter, bench in results["benchmarks"].items():
        met = {True: "met", False: "**missed**", None: "reported"}[bench["met"]]
        lines += [f"## {letter}. {bench['title']}", "", f"Target: {bench['target']} ({met}).", "",
                  f"How: {bench['how']}", "", "```", json.dumps(bench["figures"], indent=2, ensure_ascii=False), "```", ""]
        if bench["met"] is False and bench.get("limits"):
            lines += [f"What limits it: {bench['limits']}", ""]
        lines += [f"Measured {bench.get('measured', results['started'])} in {bench['seconds']} s.", ""]
    if PROFILE_NOTES.exists():
        lines += [PROFILE_NOTES.read_text()]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
