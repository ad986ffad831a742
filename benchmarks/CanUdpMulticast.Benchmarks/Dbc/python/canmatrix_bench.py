"""canmatrix 0.9.5 decode and encode timing for the DBC benchmark: canmatrix_bench.py DBC MESSAGE PAYLOADS.hex SECONDS
Prints JSON {"decode_ns": ..., "encode_ns": ..., "frames": ...} (best of three rounds, per frame)."""
import json
import logging
import sys
import time

logging.disable(logging.CRITICAL)
import canmatrix.formats  # noqa: E402

db = canmatrix.formats.loadp_flat(sys.argv[1])
frame = next(f for f in db.frames if f.name == sys.argv[2])
with open(sys.argv[3]) as f:
    payloads = [bytearray.fromhex(line.strip()) for line in f if line.strip()]
budget = float(sys.argv[4])
raw_values = [{name: v.raw_value for name, v in frame.decode(p).items()} for p in payloads]


def timed(work, items):
    best = None
    for _ in range(3):
        n = 0
        start = time.perf_counter()
        while time.perf_counter() - start < budget / 3:
            for item in items:
                work(item)
            n += len(items)
        per = (time.perf_counter() - start) / n * 1e9
        best = per if best is None else min(best, per)
    return best


decode_ns = timed(frame.decode, payloads)
encode_ns = timed(frame.encode, raw_values)
print(json.dumps({"decode_ns": decode_ns, "encode_ns": encode_ns, "frames": len(payloads)}))
