"""python-can 4.1.0 baseline of the log format benchmarks: reads or writes a file and prints the time as JSON.

usage: pycan_bench.py read  log|asc FILE
       pycan_bench.py write log|asc FILE FRAMES
The write frames cycle through 1000 frames of the benchmark's mix (60 % standard 8-byte, 25 % extended, 10 % CAN FD
with BRS, 3 % remote, 2 % error), as the .NET benchmark does.
"""
import json
import random
import resource
import sys
import time

import can

START = 1_700_000_000.0
STEP = 0.0001
FD_LENGTHS = [12, 16, 20, 24, 32, 48, 64]


def ring():
    rnd = random.Random(42)
    frames = []
    for _ in range(1000):
        kind = rnd.randrange(100)
        channel = "can0" if rnd.randrange(2) == 0 else "can1"
        data = bytes(rnd.randrange(256) for _ in range(64))
        is_rx = rnd.randrange(10) != 0
        if kind < 60:
            msg = can.Message(arbitration_id=rnd.randrange(0x800), is_extended_id=False, data=data[:8])
        elif kind < 85:
            msg = can.Message(arbitration_id=rnd.randrange(0x20000000), data=data[: rnd.randrange(9)])
        elif kind < 95:
            msg = can.Message(arbitration_id=rnd.randrange(0x800), is_extended_id=False, is_fd=True, bitrate_switch=True,
                              data=data[: rnd.choice(FD_LENGTHS)])
        elif kind < 98:
            msg = can.Message(arbitration_id=rnd.randrange(0x800), is_extended_id=False, is_remote_frame=True, dlc=rnd.randrange(9))
        else:
            msg = can.Message(is_error_frame=True, data=bytes(8))
        msg.channel = channel
        msg.is_rx = is_rx
        frames.append(msg)
    return frames


def main():
    op, fmt, path = sys.argv[1], sys.argv[2], sys.argv[3]
    count = 0
    if op == "read":
        reader = can.CanutilsLogReader(path) if fmt == "log" else can.ASCReader(path, relative_timestamp=False)
        begin = time.perf_counter()
        for _ in reader:
            count += 1
        seconds = time.perf_counter() - begin
    else:
        frames = int(sys.argv[4])
        messages = ring()
        writer = can.CanutilsLogWriter(path) if fmt == "log" else can.ASCWriter(path)
        begin = time.perf_counter()
        for i in range(frames):
            msg = messages[i % len(messages)]
            msg.timestamp = START + i * STEP
            writer.on_message_received(msg)
        writer.stop()
        seconds = time.perf_counter() - begin
        count = frames
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": seconds, "frames": count, "max_rss_kb": usage.ru_maxrss}))


if __name__ == "__main__":
    main()
