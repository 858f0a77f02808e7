"""`make bench`: run every bench/bench_*.py and print one table of figures and ratios.

Each module defines `run(options) -> list[Row]`; each measures its own baseline in the same run.
"""

import argparse
import importlib
import pkgutil
import sys
import time

from bench.util import Row, print_table


def main(argv=None):
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("names", nargs="*", help="only these benchmarks (module names without bench_)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    options = parser.parse_args(argv)

    import bench

    modules = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    if options.names:
        modules = [m for m in modules if m.removeprefix("bench_") in options.names]
    rows: list[Row] = []
    failed = False
    for name in modules:
        started = time.monotonic()
        print(f"== {name} …", flush=True)
        try:
            module = importlib.import_module(f"bench.{name}")
            new_rows = module.run(options)
        except Exception as error:  # one broken benchmark must not hide the others' figures
            failed = True
            print(f"   {name} failed: {error!r}", file=sys.stderr)
            continue
        rows.extend(new_rows)
        print_table(new_rows)
        print(f"   ({time.monotonic() - started:.0f} s)", flush=True)
    print("\n## All benchmarks\n")
    print_table(rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
