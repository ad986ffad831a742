"""Send frames with the real python-can udp_multicast bus.

Driven by CanUdpMulticast.Network.Tests (PythonInteropTests). Frames come as JSON lines on stdin (the fields of
can.Message, data as hex), or --burst N sends N classic frames as fast as python-can can (id = i % 0x800, data = i as
4 little-endian bytes). Prints SENT <count> at the end; any exception goes to stderr with exit code 2.
"""
import argparse
import json
import sys

import can


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--group", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--burst", type=int, default=0)
    args = parser.parse_args()

    bus = can.Bus(interface="udp_multicast", channel=args.group, port=args.port, hop_limit=0)
    sent = 0
    try:
        if args.burst:
            for i in range(args.burst):
                bus.send(can.Message(arbitration_id=i % 0x800, is_extended_id=False, data=i.to_bytes(4, "little")))
                sent += 1
        else:
            for line in sys.stdin:
                line = line.strip()
                if not line:
                    continue
                fields = json.loads(line)
                fields["data"] = bytes.fromhex(fields.get("data", ""))
                bus.send(can.Message(check=True, **fields))
                sent += 1
    except Exception as error:  # noqa: BLE001 - the test wants to see any python-can failure
        print(f"ERROR {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        return 2
    finally:
        bus.shutdown()
    print(f"SENT {sent}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
