"""Checks that mergekit reads each config evomerge wrote to the same meaning as the original.

For every input `X.yml` in src/test/resources/config/roundtrip/ (other than `X.written.yml`), loads the original and
evomerge's `X.written.yml` with mergekit's own schema (`MergeConfiguration.model_validate(yaml.safe_load(...))`) and
compares `model_dump()` (and the pydantic objects themselves). Writes one line per file to `mergekit-check.txt` beside them and exits non-zero on any
difference.

Rerun (from the repository root) after changing the writer or the inputs:
    ./mvnw -B -o -pl evomerge-runtime test -Dtest=MergeConfigWriterTest   # then copy target/config-roundtrip/*
    PYTHONPATH=/work/refs/shims:/work/refs/mergekit /work/venv/bin/python \
        evomerge-runtime/src/test/reference/config/check_written.py
"""

import math
import pathlib
import sys

import yaml
from mergekit.config import MergeConfiguration

HERE = pathlib.Path(__file__).resolve().parent
FIXTURES = HERE.parents[1] / "resources" / "config" / "roundtrip"


def load(path):
    with open(path, encoding="utf-8") as f:
        return MergeConfiguration.model_validate(yaml.safe_load(f))


def same(a, b):
    """Equality that also holds for NaN and keeps int/float apart (1 and 1.0 dump differently in YAML)."""
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def main():
    lines = []
    failed = False
    for original in sorted(FIXTURES.glob("*.yml")):
        if original.name.endswith(".written.yml"):
            continue
        written = original.with_name(original.stem + ".written.yml")
        if not written.exists():
            lines.append(f"{original.name}: MISSING {written.name}")
            failed = True
            continue
        original_config, written_config = load(original), load(written)
        a = original_config.model_dump()
        b = written_config.model_dump()
        if same(a, b) and original_config == written_config:
            lines.append(f"{original.name}: same model_dump() as {written.name}")
        else:
            lines.append(f"{original.name}: DIFFERENT\n  original: {a}\n  written:  {b}")
            failed = True
    (FIXTURES / "mergekit-check.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
