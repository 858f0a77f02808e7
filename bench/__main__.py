"""`make bench`: run every bench/bench_*.py and print one table of figures and ratios.

Each module defines `run(options) -> list[Row]` and measures its own baseline in the same run. Each
runs in a process of its own: several of them configure Django in-process for their own database,
and Django can be configured only once per process.
"""

import argparse
import dataclasses
import importlib
import json
import os
import pkgutil
import subprocess
import sys
import time

from bench.util import ROOT, Row, print_table

MARK = "BENCH-ROWS:"


def run_here(name, options):
    module = importlib.import_module(f"bench.{name}")
    rows = module.run(options)
    print(MARK + json.dumps([dataclasses.asdict(row) for row in rows], ensure_ascii=False), flush=True)


def run_child(name, options):
    command = [sys.executable, "-m", "bench", "--child", name.removeprefix("bench_")]
    if options.quick:
        command.append("--quick")
    process = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    rows = []
    for line in process.stdout.splitlines():
        if line.startswith(MARK):
            rows = [Row(**row) for row in json.loads(line[len(MARK):])]
        elif "is ignored" not in line:
            print("   " + line, flush=True)
    if process.returncode != 0 or not rows:
        tail = "\n".join(process.stderr.strip().splitlines()[-5:])
        raise RuntimeError(f"exit {process.returncode}: {tail}")
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("names", nargs="*", help="only these benchmarks (module names without bench_)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)

    import bench

    modules = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    if options.names:
        modules = [m for m in modules if m.removeprefix("bench_") in options.names]
    if options.child:
        run_here(modules[0], options)
        return 0
    rows: list[Row] = []
    failed = False
    for name in modules:
        started = time.monotonic()
        print(f"== {name} …", flush=True)
        try:
            new_rows = run_child(name, options)
        except Exception as error:  # one broken benchmark must not hide the others' figures
            failed = True
            print(f"   {name} failed: {error}", file=sys.stderr)
            continue
        rows.extend(new_rows)
        # the machine is shared: the load beside each benchmark's figures says how far to trust them
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"   ({time.monotonic() - started:.0f} s; load average {load})", flush=True)
    print("\n## All benchmarks\n")
    print_table(rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
