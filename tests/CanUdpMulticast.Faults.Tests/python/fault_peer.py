"""A python-can 4.1.0 host of the fault battery's bridge scenarios (CanUdpMulticast.Faults.Tests, BridgeTests).

Opens the real udp_multicast bus with the given hop limit, starts receiving on a thread, prints READY, waits for a
line GO on stdin, sends --count frames (arbitration id --id, data = sequence number as 8 little-endian bytes, one
every --interval seconds), keeps receiving until nothing came for --idle seconds, and prints RESULT <json>: frames
sent and frames received per arbitration id (python-can loops its own frames back, so its own id shows up too).
"""
import argparse
import json
import sys
import threading
import time

import can


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--group", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--hop-limit", type=int, required=True)
    parser.add_argument("--id", type=lambda s: int(s, 0), required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--interval", type=float, default=0.001)
    parser.add_argument("--idle", type=float, default=1.5)
    args = parser.parse_args()

    bus = can.Bus(interface="udp_multicast", channel=args.group, port=args.port, hop_limit=args.hop_limit)
    received = {}
    last = [time.monotonic()]
    stop = threading.Event()

    def receive():
        while not stop.is_set():
            msg = bus.recv(timeout=0.1)
            if msg is not None:
                received[msg.arbitration_id] = received.get(msg.arbitration_id, 0) + 1
                last[0] = time.monotonic()

    thread = threading.Thread(target=receive, daemon=True)
    thread.start()
    sent = 0
    try:
        print("READY", flush=True)
        if sys.stdin.readline().strip() != "GO":
            return 3
        for i in range(args.count):
            bus.send(can.Message(arbitration_id=args.id, is_extended_id=args.id > 0x7FF, data=i.to_bytes(8, "little")))
            sent += 1
            time.sleep(args.interval)
        last[0] = time.monotonic()
        while time.monotonic() - last[0] < args.idle:
            time.sleep(0.05)
        stop.set()
        thread.join()
    except Exception as error:  # noqa: BLE001 - the test wants to see any python-can failure
        print(f"ERROR {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        return 2
    finally:
        bus.shutdown()
    print("RESULT " + json.dumps({"sent": sent, "received": {str(k): v for k, v in received.items()}}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
