"""Decodes datagrams the way python-can 4.1.0's udp_multicast bus does and prints what it makes of each.

usage: pycan_unpack.py < datagrams.json      (a JSON list of hex strings)
Each datagram goes through unpack_message(data, replace={"timestamp": ...}, check=True), exactly the call in
UdpMulticastBus._recv_internal; any exception there makes the bus raise, i.e. the datagram is rejected.
"""
import json
import sys

from can.interfaces.udp_multicast.utils import unpack_message


def describe(value):
    return {"type": type(value).__name__, "repr": repr(value)}


def main():
    out = []
    for text in json.load(sys.stdin):
        try:
            msg = unpack_message(bytes.fromhex(text), replace={"timestamp": 1.0}, check=True)
        except Exception as error:  # noqa: BLE001 - the bus turns every exception into a CanOperationError
            out.append({"ok": False, "error": type(error).__name__})
            continue
        out.append({
            "ok": True,
            "arbitration_id": describe(msg.arbitration_id),
            "is_extended_id": bool(msg.is_extended_id),
            "is_remote_frame": bool(msg.is_remote_frame),
            "is_error_frame": bool(msg.is_error_frame),
            "is_fd": bool(msg.is_fd),
            "bitrate_switch": bool(msg.bitrate_switch),
            "error_state_indicator": bool(msg.error_state_indicator),
            "channel": describe(msg.channel),
            "dlc": describe(msg.dlc),
            "data": bytes(msg.data).hex(),
        })
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
