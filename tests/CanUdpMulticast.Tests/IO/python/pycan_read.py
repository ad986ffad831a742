"""Reads a log file with python-can 4.1.0's reader for its format and prints the frames as a JSON list.

usage: pycan_read.py FORMAT INFILE        FORMAT: log | asc | csv | trc (INFILE may end in .gz)
ASC is read with absolute timestamps (relative_timestamp=False).
"""
import gzip
import json
import sys

import can
from pycan_messages import to_json

READERS = {
    "log": lambda f: can.CanutilsLogReader(f),
    "asc": lambda f: can.ASCReader(f, relative_timestamp=False),
    "csv": lambda f: can.CSVReader(f),
    "trc": lambda f: can.TRCReader(f),
}


def main():
    fmt, path = sys.argv[1], sys.argv[2]
    source = gzip.open(path, "rt") if path.endswith(".gz") else path
    messages = [to_json(msg) for msg in READERS[fmt](source)]
    json.dump(messages, sys.stdout)


if __name__ == "__main__":
    main()
