"""Shared JSON <-> can.Message conversion for the log format cross-checks (python-can 4.1.0)."""
import can


def from_json(item):
    return can.Message(
        timestamp=item["timestamp"],
        arbitration_id=item["arbitration_id"],
        is_extended_id=item["is_extended_id"],
        is_remote_frame=item["is_remote_frame"],
        is_error_frame=item["is_error_frame"],
        is_fd=item["is_fd"],
        bitrate_switch=item["bitrate_switch"],
        error_state_indicator=item["error_state_indicator"],
        is_rx=item["is_rx"],
        channel=item["channel"],
        dlc=item["dlc"],
        data=bytes.fromhex(item["data"]) if item["data"] else None,
    )


def to_json(msg):
    return {
        "timestamp": msg.timestamp,
        "arbitration_id": msg.arbitration_id,
        "is_extended_id": msg.is_extended_id,
        "is_remote_frame": msg.is_remote_frame,
        "is_error_frame": msg.is_error_frame,
        "is_fd": msg.is_fd,
        "bitrate_switch": msg.bitrate_switch,
        "error_state_indicator": msg.error_state_indicator,
        "is_rx": msg.is_rx,
        "channel": msg.channel,
        "dlc": msg.dlc,
        "data": bytes(msg.data).hex(),
    }
