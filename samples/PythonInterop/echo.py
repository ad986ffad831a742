#!/usr/bin/python3
"""The python-can side of samples/PythonInterop: answers every 0x123 frame with 0x321 and the bytes reversed.

Run it with Debian's python3-can (/usr/bin/python3), inside scripts/in-netns.sh like the .NET side.
"""
import can

# Same group, port and hop limit as Program.cs. python-can's udp_multicast keyword arguments.
with can.Bus(interface="udp_multicast", channel="239.74.163.2", port=43113, hop_limit=0) as bus:
    print("echo.py: answering 0x123 with 0x321 on 239.74.163.2:43113", flush=True)
    for _ in range(5):
        msg = bus.recv(timeout=10)
        while msg is not None and msg.arbitration_id != 0x123:
            msg = bus.recv(timeout=10)
        if msg is None:
            break
        bus.send(can.Message(arbitration_id=0x321, data=bytes(reversed(msg.data)), is_extended_id=False))
