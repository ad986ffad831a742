#!/usr/bin/python3
"""Writes python-can-check-golden.jsonl: which rule the REAL python-can's Message(check=True) reports first
for random, mostly invalid, messages.

Run with Debian's python3-can (4.1.0):  /usr/bin/python3 make_python_can_check_golden.py > python-can-check-golden.jsonl

The rules and their order are the same in 4.1.0 and HEAD (only some wordings differ), so the test maps the
message text to a rule by a key phrase. Ids, DLCs and data stay in the ranges CanMessage can represent
(uint ids, DLC 0..64, at most 64 data bytes).
"""
import json
import random
import struct
import sys

import can

rng = random.Random(4711)

for _ in range(600):
    ts = rng.choice([0.0, 1.5, 1.7e9, -0.5, -0.0, float("inf"), float("-inf"), float("nan")] + [0.25] * 12)
    ext = rng.random() < 0.5
    arb = rng.choice([0, 0x7FF, 0x800, 0x1FFFFFFF, 0x20000000, 0xFFFFFFFF, rng.randrange(0x800), rng.randrange(1 << 29)])
    remote = rng.random() < 0.3
    error = rng.random() < 0.2
    fd = rng.random() < 0.4
    brs = rng.random() < 0.2
    esi = rng.random() < 0.2
    length = rng.choice([0, 1, 4, 8, 8, 9, 12, 64, rng.randrange(65)])
    data = bytes(rng.randrange(256) for _ in range(length))
    dlc = rng.choice([None, None, None, 0, 4, 8, 9, 64, rng.randrange(65)])
    kwargs = dict(timestamp=ts, arbitration_id=arb, is_extended_id=ext, is_remote_frame=remote, is_error_frame=error,
                  is_fd=fd, bitrate_switch=brs, error_state_indicator=esi, dlc=dlc, data=data)
    try:
        can.Message(check=True, **kwargs)
        result = ""
    except ValueError as e:
        result = str(e)
    # python drops the data of a remote frame in __init__; keep what we passed so C# sees the same message
    msg = can.Message(check=False, **kwargs)
    sys.stdout.write(json.dumps({
        "timestampBits": struct.unpack("<q", struct.pack("<d", ts))[0],
        "id": arb, "extended": ext, "remote": remote, "error": error, "fd": fd, "brs": brs, "esi": esi,
        "dlc": msg.dlc, "data": bytes(msg.data).hex(), "python": result,
    }) + "\n")
