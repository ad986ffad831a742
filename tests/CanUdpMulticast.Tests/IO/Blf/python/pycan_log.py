"""Reads or writes a log file with python-can's own reader/writer, for cross-checks from the .NET tests.

usage: pycan_log.py write FORMAT PATH JSON_IN [key=value ...]   writes the messages in JSON_IN with FORMAT's writer
       pycan_log.py read FORMAT PATH JSON_OUT                   reads PATH with FORMAT's reader into JSON_OUT
       pycan_log.py bench-write FORMAT PATH COUNT               writes COUNT generated frames, prints seconds
       pycan_log.py bench-read FORMAT PATH                      reads every frame, prints count and seconds
FORMAT is blf or sqlite. Messages are JSON objects with python-can's Message attribute names; data is hex.
"""
import json
import sys
import time

import can

WRITERS = {"blf": can.BLFWriter, "sqlite": can.SqliteWriter}
READERS = {"blf": can.BLFReader, "sqlite": can.SqliteReader}


def to_message(d):
    return can.Message(
        timestamp=d["timestamp"],
        arbitration_id=d["arbitration_id"],
        is_extended_id=d["is_extended_id"],
        is_remote_frame=d["is_remote_frame"],
        is_error_frame=d["is_error_frame"],
        is_fd=d["is_fd"],
        bitrate_switch=d["bitrate_switch"],
        error_state_indicator=d["error_state_indicator"],
        is_rx=d["is_rx"],
        channel=d["channel"],
        dlc=d["dlc"],
        data=bytes.fromhex(d["data"]),
        check=False,
    )


def to_dict(m):
    return {
        "timestamp": m.timestamp,
        "arbitration_id": m.arbitration_id,
        "is_extended_id": m.is_extended_id,
        "is_remote_frame": m.is_remote_frame,
        "is_error_frame": m.is_error_frame,
        "is_fd": m.is_fd,
        "bitrate_switch": m.bitrate_switch,
        "error_state_indicator": m.error_state_indicator,
        "is_rx": m.is_rx,
        "channel": m.channel,
        "dlc": m.dlc,
        "data": bytes(m.data).hex(),
    }


def parse_kwargs(items):
    kwargs = {}
    for item in items:
        key, value = item.split("=", 1)
        kwargs[key] = int(value) if value.lstrip("-").isdigit() else value
    return kwargs


def main():
    mode, fmt, path = sys.argv[1:4]
    if mode == "write":
        with open(sys.argv[4], encoding="utf-8") as f:
            messages = [to_message(d) for d in json.load(f)]
        writer = WRITERS[fmt](path, **parse_kwargs(sys.argv[5:]))
        for m in messages:
            writer.on_message_received(m)
        writer.stop()
    elif mode == "read":
        reader = READERS[fmt](path)
        messages = [to_dict(m) for m in reader]
        reader.stop()
        with open(sys.argv[4], "w", encoding="utf-8") as f:
            json.dump(messages, f)
    elif mode == "bench-write":
        # Each frame is built in the loop, as a logger receiving from a bus would get it.
        count = int(sys.argv[4])
        start = 1700000000.0
        data = bytes(range(8))
        t0 = time.perf_counter()
        writer = WRITERS[fmt](path)
        for i in range(count):
            writer.on_message_received(
                can.Message(timestamp=start + i * 1e-4, arbitration_id=i & 0x7FF, is_extended_id=False, data=data, channel=0)
            )
        writer.stop()
        print(time.perf_counter() - t0)
    elif mode == "bench-read":
        t0 = time.perf_counter()
        reader = READERS[fmt](path)
        n = 0
        for _ in reader:
            n += 1
        reader.stop()
        print(n, time.perf_counter() - t0)
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
