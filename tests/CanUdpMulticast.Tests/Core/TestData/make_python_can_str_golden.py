#!/usr/bin/python3
"""Writes python-can-str-golden.jsonl: str(can.Message) of random messages, produced by the REAL python-can.

Run with Debian's python3-can (4.1.0):  /usr/bin/python3 make_python_can_str_golden.py > python-can-str-golden.jsonl

Only extended ids are generated: python-can 4.1.0 formats standard ids as "ID: %04x" right-justified to 12,
while python-can HEAD (what CanUdpMulticast follows, see shared/reference/python-can.md section 3.5) prints
3 hex digits in an 8-wide field. For extended ids both versions print "ID: %08x", so these lines are valid
for HEAD too. Each line holds the inputs (timestamp as its exact IEEE bits) and python's output.
"""
import json
import random
import struct
import sys

import can

rng = random.Random(20240611)


def timestamp():
    kind = rng.randrange(10)
    if kind == 0:
        return 0.0
    if kind == 1:
        return rng.uniform(0, 10)
    if kind == 2:
        return rng.uniform(1.6e9, 1.8e9)
    if kind == 3:
        # values whose 7th decimal is 5: exercises correct rounding of the shortest/exact decimal
        return round(rng.uniform(0, 1000), 6) + 5e-7
    if kind == 4:
        return -rng.uniform(0, 100)
    if kind == 5:
        return rng.choice([float("nan"), float("inf"), float("-inf"), -0.0, 1e20, 123456789012.5, 5e-7, 4.9999999e-7])
    if kind == 6:
        return float(rng.randrange(0, 10**6))
    return rng.uniform(0, 1e6)


def data():
    kind = rng.randrange(5)
    length = rng.choice([0, 1, 2, 3, 5, 8, 8, 12, 16, 24, 32, 48, 64, rng.randrange(65)])
    if kind == 0:
        alphabet = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        return bytes(rng.choice(alphabet) for _ in range(length))
    return bytes(rng.randrange(256) for _ in range(length))


def channel():
    kind = rng.randrange(5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.randrange(-5, 100)
    return rng.choice(["vcan0", "can1", "channel-0", "239.0.0.1", "ff15:7079:7468:6f6e:6465:6d6f:6d63:6173", "", "x y"])


for _ in range(400):
    d = data()
    remote = rng.random() < 0.1
    explicit_dlc = rng.random() < 0.15
    dlc = rng.randrange(65) if explicit_dlc or remote else None
    msg = can.Message(
        timestamp=timestamp(),
        arbitration_id=rng.randrange(1 << 29) if rng.random() < 0.9 else rng.randrange(1 << 32),
        is_extended_id=True,
        is_remote_frame=remote,
        is_error_frame=rng.random() < 0.1,
        channel=channel(),
        dlc=dlc,
        data=None if remote else d,
        is_fd=rng.random() < 0.5,
        is_rx=rng.random() < 0.7,
        bitrate_switch=rng.random() < 0.3,
        error_state_indicator=rng.random() < 0.2,
    )
    line = {
        "timestampBits": struct.unpack("<q", struct.pack("<d", msg.timestamp))[0],
        "id": msg.arbitration_id,
        "remote": msg.is_remote_frame,
        "error": msg.is_error_frame,
        "fd": msg.is_fd,
        "rx": msg.is_rx,
        "brs": msg.bitrate_switch,
        "esi": msg.error_state_indicator,
        "dlc": msg.dlc,
        "data": bytes(msg.data).hex(),
        "channelName": msg.channel if isinstance(msg.channel, str) else None,
        "channelNumber": msg.channel if isinstance(msg.channel, int) else None,
        "str": str(msg),
    }
    sys.stdout.write(json.dumps(line) + "\n")
