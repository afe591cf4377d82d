"""The mutation score of each rule module, from the results `mutmut run` leaves in mutants/.

One line per module: `module killed/total pct`, where total leaves out the equivalent mutants
listed in tests/mutation_equivalent.txt (a mutation that cannot change behaviour). Exits 1
when a module stays under the required score, so `make mutation` fails with it.

`--survivors` also lists the mutants left alive, to read with `mutmut show NAME`.
"""

import json
import sys
import tomllib
from pathlib import Path

REQUIRED = 90
ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT = Path(__file__).with_name("mutation_equivalent.txt")
# mutmut's exit codes (mutmut.stats): a failing test run, a timeout (the mutant loops) and a
# type-check failure all catch the mutant.
CAUGHT = {1, 3, 24, -24, 36, 37, 152, 255}


def equivalent_mutants() -> set[str]:
    """Each line of the file: a mutant's name, then `#` and why it changes nothing."""
    names = set()
    for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            names.add(name)
    return names


def main(argv: list[str]) -> int:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    modules = config["tool"]["mutmut"]["only_mutate"]
    equivalent = equivalent_mutants()
    known = set()
    failed = False
    for module in modules:
        meta = ROOT / "mutants" / f"{module}.meta"
        if not meta.exists():
            print(f"{module} not run: run `mutmut run` first")
            failed = True
            continue
        exit_codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        known |= exit_codes.keys()
        counted = {name: code for name, code in exit_codes.items() if name not in equivalent}
        alive = sorted(name for name, code in counted.items() if code not in CAUGHT)
        killed = len(counted) - len(alive)
        score = 100 * killed / len(counted) if counted else 100.0
        failed |= score < REQUIRED
        print(f"{module} {killed}/{len(counted)} {score:.1f} %")
        if "--survivors" in argv:
            for name in alive:
                print(f"    {name}")
    # A name left in the list after the code changed would hide nothing, but would mislead.
    for name in sorted(equivalent - known):
        print(f"equivalent mutant no longer generated: {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
