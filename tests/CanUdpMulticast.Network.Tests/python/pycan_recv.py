"""Receive frames with the real python-can udp_multicast bus and print each one as a JSON line.

Driven by CanUdpMulticast.Network.Tests (PythonInteropTests). Prints READY once the bus is open, one JSON object per
received frame, and DONE <count> at the end (with --linger, END <count> first, while the socket is still open). Any exception from python-can (e.g. a datagram it cannot unpack) is
printed to stderr and ends the script with exit code 2, so the test sees that python-can could not read our frames.
"""
import argparse
import json
import socket
import sys

import can


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--group", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count", type=int, required=True, help="stop after this many frames")
    parser.add_argument("--idle", type=float, default=5.0, help="stop after this many seconds without a frame")
    parser.add_argument("--no-fd", action="store_true")
    parser.add_argument("--linger", action="store_true",
                        help="print END <count> and keep the bus (and its socket) open until a line arrives on stdin")
    parser.add_argument("--rcvbuf", type=int, default=0,
                        help="socket receive buffer in bytes (SO_RCVBUFFORCE as root, else SO_RCVBUF): for tests whose "
                             "machine may stall this script for a second while frames keep arriving")
    args = parser.parse_args()

    bus = can.Bus(interface="udp_multicast", channel=args.group, port=args.port, hop_limit=0, fd=not args.no_fd)
    if args.rcvbuf > 0:
        # python-can 4.1.0 keeps its socket in a private member; only this test script reaches for it.
        sock = bus._multicast._socket  # noqa: SLF001
        try:
            sock.setsockopt(socket.SOL_SOCKET, 33, args.rcvbuf)  # SO_RCVBUFFORCE (Linux)
        except PermissionError:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, args.rcvbuf)
    received = 0
    try:
        print("READY", flush=True)
        while received < args.count:
            msg = bus.recv(timeout=args.idle)
            if msg is None:
                break
            received += 1
            print(json.dumps({
                "timestamp": msg.timestamp,
                "arbitration_id": msg.arbitration_id,
                "is_extended_id": msg.is_extended_id,
                "is_remote_frame": msg.is_remote_frame,
                "is_error_frame": msg.is_error_frame,
                "channel": msg.channel,
                "dlc": msg.dlc,
                "data": bytes(msg.data).hex(),
                "is_fd": msg.is_fd,
                "bitrate_switch": msg.bitrate_switch,
                "error_state_indicator": msg.error_state_indicator,
                "is_rx": msg.is_rx,
            }), flush=True)
        if args.linger:
            print(f"END {received}", flush=True)
            sys.stdin.readline()
    except Exception as error:  # noqa: BLE001 - the test wants to see any python-can failure
        print(f"ERROR {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        return 2
    finally:
        bus.shutdown()
    print(f"DONE {received}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
