"""Copy the Easy Read pictures named in briefings/templates/pictures/openmoji/names.tsv out of the npm package.

The build never fetches anything: the package ships the pictures it may show. This script makes
that set again from OpenMoji's own files, so the choice can be checked and changed:

    npm ci --ignore-scripts          # openmoji is one of package.json's devDependencies (setup.sh --test does this)
    .venv/bin/python tools/openmoji/vendor.py node_modules/openmoji

It copies, byte for byte, `color/svg/<hexcode>.svg` for each hexcode in names.tsv and OpenMoji's
LICENSE.txt (CC BY-SA 4.0), removes SVGs no name uses, and checks that each hexcode is in
OpenMoji's data/openmoji.json and that the package is the version names.tsv says. To add a
picture: add a line to names.tsv (our name, the hexcode, what it shows), then run this.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "briefings" / "templates" / "pictures" / "openmoji"
NAMES = TARGET / "names.tsv"


def read_names(path: Path = NAMES) -> dict[str, tuple[str, str]]:
    """names.tsv as {name: (hexcode, description)}."""
    out: dict[str, tuple[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, hexcode, description = line.split("\t")
        out[name] = (hexcode, description)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="the openmoji npm package folder (node_modules/openmoji)")
    args = parser.parse_args(argv)
    package: Path = args.package
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    wanted = re.search(r"From OpenMoji (\S+),", NAMES.read_text(encoding="utf-8"))
    if not wanted or meta["version"] != wanted.group(1):
        print(f"names.tsv is for OpenMoji {wanted.group(1) if wanted else '?'}, the package is {meta['version']}: "
              "install that version, or update names.tsv's header after checking every picture", file=sys.stderr)
        return 1
    known = {entry["hexcode"]: entry["annotation"] for entry in json.loads((package / "data" / "openmoji.json").read_text(encoding="utf-8"))}
    names = read_names()
    missing = [f"{name}: {hexcode}" for name, (hexcode, _) in names.items() if hexcode not in known]
    if missing:
        print("not in OpenMoji: " + ", ".join(missing), file=sys.stderr)
        return 1
    hexcodes = {hexcode for hexcode, _ in names.values()}
    for old in TARGET.glob("*.svg"):
        if old.stem not in hexcodes:
            old.unlink()
    for hexcode in sorted(hexcodes):
        shutil.copyfile(package / "color" / "svg" / f"{hexcode}.svg", TARGET / f"{hexcode}.svg")
    shutil.copyfile(package / "LICENSE.txt", TARGET / "LICENSE.txt")
    for name, (hexcode, description) in sorted(names.items()):
        print(f"{name:24} {hexcode:32} {known[hexcode]} ({description})")
    print(f"{len(names)} names, {len(hexcodes)} pictures from OpenMoji {meta['version']} in {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
