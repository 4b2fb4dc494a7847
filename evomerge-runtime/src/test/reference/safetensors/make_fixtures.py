"""Compatibility fixtures between evomerge's safetensors I/O and the reference `safetensors` library.

1. Writes python-written.safetensors with one tensor per dtype (special values included) through
   safetensors.torch.save_file, and python-written.expected.json with every element's exact bit pattern.
2. Loads evomerge-written.safetensors (written by evomerge's ModelWriter; regenerate it with
   `./mvnw -pl evomerge-runtime test -Dtest=SafetensorsCompatibilityTest -Devomerge.fixtures.regenerate=true`)
   with safetensors.torch.load_file, checks every tensor against the values evomerge was told to write
   (EVOMERGE_SPEC below mirrors SafetensorsCompatibilityTest), and records the verdict in
   evomerge-written.check.json.

Run from the repository root: /work/venv/bin/python evomerge-runtime/src/test/reference/safetensors/make_fixtures.py
"""
import json
import math
import pathlib

import torch
from safetensors.torch import load_file, save, save_file

OUT = pathlib.Path(__file__).resolve().parents[2] / "resources" / "safetensors"

FLOATS = [0.0, -0.0, 1.0, -2.5, 65504.0, 1e-8, 6e-8, float("inf"), float("-inf"), float("nan"), 3.140625,
          1.0 / 3.0, -1e30]


def python_written():
    tensors = {
        "f64": torch.tensor(FLOATS, dtype=torch.float64),
        "f32": torch.tensor(FLOATS, dtype=torch.float32).reshape(13, 1),
        "f16": torch.tensor(FLOATS, dtype=torch.float32).to(torch.float16),
        "bf16": torch.tensor(FLOATS, dtype=torch.float32).to(torch.bfloat16),
        "i64": torch.tensor([-(2 ** 63), 2 ** 63 - 1, 0, -1], dtype=torch.int64).reshape(2, 2),
        "i32": torch.tensor([-(2 ** 31), 2 ** 31 - 1, 5], dtype=torch.int32),
        "i16": torch.tensor([-(2 ** 15), 2 ** 15 - 1], dtype=torch.int16),
        "i8": torch.tensor([-128, 127, 0], dtype=torch.int8),
        "u8": torch.tensor([0, 255, 7], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True], dtype=torch.bool),
        "scalar": torch.tensor(2.0, dtype=torch.float32),
        "empty": torch.zeros((0, 3), dtype=torch.float32),
    }
    save_file(tensors, OUT / "python-written.safetensors", metadata={"format": "pt", "note": "fixture"})
    expected = {}
    for name, t in tensors.items():
        raw = t.contiguous().reshape(-1).view(torch.uint8).tolist() if t.numel() else []
        expected[name] = {
            "dtype": str(t.dtype).replace("torch.", ""),
            "shape": list(t.shape),
            "bytes_hex": bytes(raw).hex(),
            "values": [None if (isinstance(v, float) and (math.isnan(v) or math.isinf(v))) else v
                       for v in t.reshape(-1).to(torch.float64 if t.is_floating_point() else t.dtype).tolist()],
        }
    (OUT / "python-written.expected.json").write_text(json.dumps(expected, indent=2) + "\n")


# What SafetensorsCompatibilityTest tells ModelWriter to write (float values are rounded to each dtype once).
EVOMERGE_FLOATS = [0.0, -0.0, 1.0, -2.5, 65504.0, 1e-3, float("inf"), float("-inf"), 3.140625, 0.1]
EVOMERGE_SPEC = {
    "model.f64": (torch.float64, [2, 5], EVOMERGE_FLOATS),
    "model.f32": (torch.float32, [10], EVOMERGE_FLOATS),
    "model.f16": (torch.float16, [5, 2], EVOMERGE_FLOATS),
    "model.bf16": (torch.bfloat16, [10], EVOMERGE_FLOATS),
    "model.i64": (torch.int64, [3], [-(2 ** 63), 2 ** 63 - 1, -1]),
    "model.i32": (torch.int32, [2], [-(2 ** 31), 12345]),
    "model.i16": (torch.int16, [2], [-300, 300]),
    "model.i8": (torch.int8, [2], [-7, 7]),
    "model.u8": (torch.uint8, [2], [200, 1]),
    "model.bool": (torch.bool, [2], [False, True]),
}


def check_evomerge_written():
    path = OUT / "evomerge-written.safetensors"
    loaded = load_file(path)
    problems = []
    if sorted(loaded) != sorted(EVOMERGE_SPEC):
        problems.append(f"names {sorted(loaded)}")
    for name, (dtype, shape, values) in EVOMERGE_SPEC.items():
        t = loaded[name]
        want = torch.tensor(values, dtype=torch.float32 if dtype.is_floating_point else dtype)
        want = want.to(dtype).reshape(shape)
        if t.dtype != dtype or list(t.shape) != shape:
            problems.append(f"{name}: {t.dtype} {list(t.shape)}")
        elif not torch.equal(t.view(torch.uint8) if t.numel() else t, want.view(torch.uint8) if want.numel() else want):
            problems.append(f"{name}: values {t.tolist()} != {want.tolist()}")
    with open(path, "rb") as f:
        header_len = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(header_len))
    if header.get("__metadata__") != {"format": "pt"}:
        problems.append(f"metadata {header.get('__metadata__')}")
    # The same tensors serialized by the library itself: evomerge's bytes should be identical.
    reference = {}
    for name, (dtype, shape, values) in EVOMERGE_SPEC.items():
        t = torch.tensor(values, dtype=torch.float32 if dtype.is_floating_point else dtype)
        reference[name] = t.to(dtype).reshape(shape)
    identical = save(reference, metadata={"format": "pt"}) == path.read_bytes()
    verdict = {"file": path.name, "size": path.stat().st_size, "loads_exactly": not problems,
               "identical_to_library_bytes": identical, "problems": problems}
    (OUT / "evomerge-written.check.json").write_text(json.dumps(verdict, indent=2) + "\n")
    print(verdict)


if __name__ == "__main__":
    python_written()
    check_evomerge_written()
