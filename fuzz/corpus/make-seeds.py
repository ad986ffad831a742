#!/usr/bin/python3
"""Writes the seed corpora under fuzz/corpus/ (run with Debian's /usr/bin/python3, python-can 4.1.0).

Log seeds are written by python-can itself, so they are what a real file looks like; the wire seeds are a few of
the golden vectors in the shared wire folder (or python-can's own packer when that is missing). Small on purpose:
afl-fuzz and the in-process mutator grow them.
"""
import json, os, struct, sys
import can
from can.interfaces.udp_multicast.utils import pack_message

here = os.path.dirname(os.path.abspath(__file__))

def out(target, name, data):
    os.makedirs(os.path.join(here, target), exist_ok=True)
    with open(os.path.join(here, target, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

msgs = [
    can.Message(timestamp=1700000000.25, arbitration_id=0x123, is_extended_id=False, data=b"\x11\x22\x33", channel=0),
    can.Message(timestamp=1700000000.5, arbitration_id=0x12345678, is_extended_id=True, data=bytes(range(8)), channel=1),
    can.Message(timestamp=1700000000.75, arbitration_id=0x7FF, is_extended_id=False, is_remote_frame=True, dlc=4, channel=0),
    can.Message(timestamp=1700000001.0, arbitration_id=0x100, is_fd=True, bitrate_switch=True, data=bytes(range(12)), channel=0),
    can.Message(timestamp=1700000001.5, arbitration_id=0, is_error_frame=True, channel=0),
]

def write_log(cls, target, name, **kw):
    path = os.path.join(here, target, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with cls(path, **kw) as w:
        for m in msgs:
            if cls is can.TRCWriter and m.is_error_frame:
                continue
            w.on_message_received(m)

write_log(can.ASCWriter, "asc", "python-can.asc")
write_log(can.BLFWriter, "blf", "python-can.blf")
write_log(can.CSVWriter, "csv", "python-can.csv")
write_log(can.CanutilsLogWriter, "candump", "python-can.log")
write_log(can.TRCWriter, "trc", "python-can-2.1.trc")
out("trc", "v1.0.trc", ";$FILEVERSION=1.0\n;$STARTTIME=45000.5\n     1)      1000  0123  4  11 22 33 44\n     2)      2500  12345678  2  AA BB\n")
out("trc", "v2.0.trc", ";$FILEVERSION=2.0\n;$STARTTIME=45000.5\n;$COLUMNS=N,O,T,I,d,l,D\n      1       1.000 DT     0123 Rx 4  11 22 33 44\n      2       2.000 FD 12345678 Rx 12 00 01 02 03 04 05 06 07 08 09 0A 0B\n")
out("candump", "plain.log", "(1700000000.000000) vcan0 123#1122\n(1700000000.100000) vcan0 12345678#R\n(1700000000.200000) can1 100##3001122\n")
out("asc", "decimal.asc", "date Mon Jan 1 12:00:00.000 am 2024\nbase dec  timestamps absolute\nBegin Triggerblock Mon Jan 1 12:00:00.000 am 2024\n   0.100000 1  291             Rx   d 2 17 34\n   0.200000 CANFD   1 Rx 100 1 0 9 12 00 01 02 03 04 05 06 07 08 09 10 11 0 0 0 0 0 0 0 0\nEnd TriggerBlock\n")

vectors = os.path.join("/work/shared/wire", "python-can-vectors.json")
if os.path.exists(vectors):
    for v in json.load(open(vectors))["vectors"][:8]:
        out("wire", v["name"], bytes.fromhex(v["hex"]))
else:
    for i, m in enumerate(msgs):
        out("wire", f"msg{i}", pack_message(m))

out("ini", "default.ini", "[default]\ninterface = udp_multicast\nchannel = 239.74.163.2\nhop_limit = 0\nfd = true\n")
out("ini", "context.ini", "[default]\ninterface = virtual\n\n[ctx]\nchannel = ff15:7079:7468:6f6e:6465:6d6f:6d63:6173\nbitrate = 500000\ncan_filters = [{\"can_id\": 291, \"can_mask\": 2047, \"extended\": false}]\nreceive_own_messages = False\n")
out("canconfig", "basic.json", '{"interface": "udp_multicast", "channel": "239.74.163.2", "hop_limit": 0, "fd": true}')
out("canconfig", "filters.json", '{"interface": "virtual", "bitrate": 250000, "data_bitrate": 2e6, "can_filters": [{"can_id": 291, "can_mask": 2047}], "x": null, "y": [1, 2.5, "z"]}')
for name, text in [("std", "123#DEADBEEF"), ("ext", "12345678#00"), ("rtr", "123#R4"), ("fd", "123##1112233"), ("dots", "7FF#11.22.33"), ("empty", "000#")]:
    out("frame", name, text)

def cell_int(v): return b"\x01" + struct.pack("<q", v)
def cell_real(v): return b"\x02" + struct.pack("<d", v)
def cell_blob(b): return b"\x04" + bytes([len(b)]) + b
out("sqlite", "two-rows", cell_real(1.5) + cell_int(0x123) + cell_int(0) + cell_int(0) + cell_int(0) + cell_int(3) + cell_blob(b"\x11\x22\x33")
    + cell_real(2.0) + cell_int(0x12345678) + cell_int(1) + cell_int(0) + cell_int(0) + cell_int(12) + cell_blob(bytes(range(12))))
print("seeds written under", here, file=sys.stderr)
