"""Writes a JSON list of frames (stdin) with python-can 4.1.0's writer for a format.

usage: pycan_write.py FORMAT OUTFILE      FORMAT: log | asc | csv | trc | txt
"""
import json
import sys

import can
from pycan_messages import from_json

WRITERS = {
    "log": can.CanutilsLogWriter,
    "asc": can.ASCWriter,
    "csv": can.CSVWriter,
    "trc": can.TRCWriter,
    "txt": can.Printer,
}


def main():
    fmt, path = sys.argv[1], sys.argv[2]
    messages = [from_json(item) for item in json.load(sys.stdin)]
    writer = WRITERS[fmt](path)
    for msg in messages:
        writer.on_message_received(msg)
    writer.stop()


if __name__ == "__main__":
    main()
