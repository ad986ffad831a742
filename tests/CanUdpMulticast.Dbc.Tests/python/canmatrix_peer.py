"""The independent DBC implementation for the cross-check tests: canmatrix (Debian python3-canmatrix 0.9.5).

usage: canmatrix_peer.py REQUEST.json RESPONSE.json
REQUEST: {"dbc": path, "decode": [{"message": name, "data": hex}], "encode": [{"message": name, "raw": {signal: "int" or float}}]} (encode takes raw values)
RESPONSE: {"decode": [{signal: {"raw": str, "phys": str (python repr), "choice": str|null, "cm_named": str|null}}],
           "encode": [hex or {"error": text}], "start": {message: {signal: float}}}
Raw integers travel as decimal strings so 64-bit values stay exact.
"""
import json
import logging
import sys

logging.disable(logging.CRITICAL)
import canmatrix.formats  # noqa: E402


def raw_text(signal, raw):
    if signal.is_float:
        return repr(float(raw))
    return str(int(raw))


def main():
    with open(sys.argv[1]) as f:
        request = json.load(f)
    db = canmatrix.formats.loadp_flat(request["dbc"])
    frames = {fr.name: fr for fr in db.frames}
    decoded = []
    for item in request.get("decode", []):
        frame = frames[item["message"]]
        values = frame.decode(bytearray.fromhex(item["data"]))
        out = {}
        for name, value in values.items():
            signal = value.signal
            named = value.named_value
            out[name] = {
                "raw": raw_text(signal, value.raw_value),
                "phys": repr(float(value.phys_value)),
                # DBC semantics: VAL_ keys are raw values. canmatrix's named_value compares them with the *physical*
                # value instead, so the raw-keyed lookup is reported separately.
                "choice": signal.values.get(int(value.raw_value)) if not signal.is_float else None,
                "cm_named": named if isinstance(named, str) else None,
            }
        decoded.append(out)
    encoded = []
    for item in request.get("encode", []):
        frame = frames[item["message"]]
        # canmatrix's Frame.encode packs the values it is given as they are: it takes raw values, not physical ones.
        data = {}
        for name, raw in item["raw"].items():
            signal = frame.signal_by_name(name)
            data[name] = float(raw) if signal.is_float else int(raw)
        try:
            encoded.append(bytes(frame.encode(data)).hex())
        except Exception as e:  # noqa: BLE001 - reported to the test, which says what canmatrix lacks
            encoded.append({"error": type(e).__name__})
    start = {fr.name: {s.name: float(s.initial_value) for s in fr.signals} for fr in db.frames}
    with open(sys.argv[2], "w") as f:
        json.dump({"decode": decoded, "encode": encoded, "start": start}, f)


main()
