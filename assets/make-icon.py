#!/usr/bin/env python3
"""Draws assets/icon.png (the NuGet package icon, 128x128) with the standard library only:
a rounded dark-blue tile, the two wires of a CAN bus (CAN_H, CAN_L), three nodes on it and
multicast rings above the middle node. Run: python3 assets/make-icon.py"""
import math
import os
import struct
import zlib

SIZE = 128
BG = (18, 52, 96)
WIRE_H = (255, 196, 0)
WIRE_L = (64, 196, 255)
NODE = (255, 255, 255)
RING = (255, 255, 255)


def inside_rounded(x, y, r=22):
    cx = min(max(x, r), SIZE - 1 - r)
    cy = min(max(y, r), SIZE - 1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def pixel(x, y):
    if not inside_rounded(x, y):
        return (0, 0, 0, 0)
    colour = BG
    # Multicast rings: arcs above the middle node.
    d = math.hypot(x - 64, y - 66)
    if y < 60 and any(abs(d - r) < 2.6 for r in (18, 30, 42)) and abs(x - 64) < (66 - y) * 1.1:
        colour = RING
    if 84 <= y <= 88 and 14 <= x <= 113:
        colour = WIRE_H
    if 98 <= y <= 102 and 14 <= x <= 113:
        colour = WIRE_L
    for nx in (30, 64, 98):
        if abs(x - nx) <= 2 and 70 <= y <= 100:
            colour = NODE
        if abs(x - nx) <= 9 and 62 <= y <= 74:
            colour = NODE
    return colour + (255,)


def main():
    rows = bytearray()
    for y in range(SIZE):
        rows.append(0)  # filter: none
        for x in range(SIZE):
            rows.extend(pixel(x, y))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(bytes(rows), 9))
    png += chunk(b"IEND", b"")
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "icon.png")
    with open(out, "wb") as f:
        f.write(png)
    print(out, len(png), "bytes")


if __name__ == "__main__":
    main()
