"""python-can 4.1.0 side of the CanUdpMulticast loopback harness (run by the orchestrator with /usr/bin/python3).

Roles mirror the .NET ones (same frames, same phases, same output protocol):
  pack KIND                      print python-can's datagram for the benchmark frame as hex (start-up check)
  send  --group G --port P --frames N --warmup S --rate R
  recv  --group G --port P --idle S --deadline S [--backlog 1 --rcvbuf BYTES]
  ping  --group G --port P --count N --warmup S
  pong  --group G --port P --deadline S
Prints READY once the bus is open, then one "RESULT key=value ..." line.
"""
import math
import os
import resource
import socket
import sys
import time

import can
from can.interfaces.udp_multicast import UdpMulticastBus
from can.interfaces.udp_multicast.utils import pack_message

WARMUP, MEASURED, END, PING, PONG, STOP = 1, 2, 3, 4, 5, 6
SO_RCVBUFFORCE = 33
ARBITRATION_ID = 0x123
TAIL = bytes([2, 3, 4, 5, 6, 7, 8])


def message(kind):
    return can.Message(arbitration_id=ARBITRATION_ID, is_extended_id=False, data=bytes([kind]) + TAIL)


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def parse(argv):
    options = {}
    for i in range(0, len(argv) - 1, 2):
        options[argv[i].lstrip("-")] = argv[i + 1]
    return options


def open_bus(options):
    if os.environ.get("CANUDP_NETNS") != "1":
        sys.exit("refusing to open a multicast socket outside the private network namespace (scripts/in-netns.sh)")
    return UdpMulticastBus(channel=options.get("group", "239.74.163.10"), port=int(options.get("port", "43200")), hop_limit=0)


def ready():
    print("READY", flush=True)


def result(**fields):
    print("RESULT " + " ".join(f"{k}={float(v)!r}" for k, v in fields.items()), flush=True)


def pace(bus, kind, count, seconds, rate):
    msg = message(kind)
    send = bus.send
    clock = time.perf_counter
    start = clock()
    sent = 0
    while sent < count:
        elapsed = clock() - start
        if elapsed >= seconds:
            break
        target = min(count, int(elapsed * rate) + 1) if rate > 0 else min(count, sent + 4096)
        while sent < target:
            send(msg)
            sent += 1
        if rate > 0 and sent < count:
            time.sleep(0.001)
    return sent


def role_send(options):
    bus = open_bus(options)
    frames = int(options.get("frames", "200000"))
    warmup = float(options.get("warmup", "0.5"))
    rate = float(options.get("rate", "0"))
    ready()
    pace(bus, WARMUP, 1 << 62, warmup, rate)
    time.sleep(0.3)
    cpu0 = cpu_seconds()
    start = time.perf_counter()
    sent = pace(bus, MEASURED, frames, float("inf"), rate)
    seconds = time.perf_counter() - start
    cpu = cpu_seconds() - cpu0
    end = message(END)
    for _ in range(10):
        bus.send(end)
        time.sleep(0.01)
    result(sent=sent, send_seconds=seconds, send_rate=sent / seconds, send_cpu_us_per_frame=cpu * 1e6 / sent)
    bus.shutdown()


def role_recv(options):
    bus = open_bus(options)
    backlog = options.get("backlog", "0") == "1"
    if "rcvbuf" in options:
        # python-can sets no buffer size; a backlog run needs room for every frame (root may exceed rmem_max).
        bus._multicast._socket.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, int(options["rcvbuf"]))
    idle = float(options.get("idle", "1.0"))
    deadline = time.perf_counter() + float(options.get("deadline", "120"))
    clock = time.perf_counter
    recv = bus.recv
    warm = measured = other = 0
    first = last = last_any = 0.0
    cpu_first = cpu = 0.0
    ready()
    while True:
        msg = recv(0.2)
        if msg is None:
            now = clock()
            if (measured and now - last_any >= idle) or now >= deadline:
                break
            continue
        kind = msg.data[0]
        if kind == MEASURED:
            if measured == 0 and backlog:
                # Stop reading until the sender has queued every measured frame (the orchestrator's go line).
                if not sys.stdin.readline():
                    sys.exit("standard input closed before the go signal")
            now = clock()
            if measured == 0:
                first = now
                cpu_first = cpu_seconds()
            measured += 1
            last = last_any = now
        elif kind == WARMUP:
            warm += 1
            last_any = clock()
        elif kind == END:
            break
        else:
            other += 1
    if measured:
        cpu = cpu_seconds() - cpu_first
    window = last - first if measured > 1 else 0.0
    # In backlog mode the first measured frame was read before the measurement started.
    cpu_frames = measured - 1 if backlog else measured
    result(received=measured, warmup_received=warm, other_received=other, recv_seconds=window,
           recv_rate=(measured - 1) / window if window > 0 else 0, cpu_seconds=cpu,
           cpu_us_per_frame=cpu * 1e6 / cpu_frames if cpu_frames > 0 else 0,
           first_measured_monotonic_s=first, last_measured_monotonic_s=last)
    bus.shutdown()


def ping_once(bus, ping):
    bus.send(ping)
    while True:
        msg = bus.recv(0.2)
        if msg is None:
            return False
        if msg.data[0] == PONG:
            return True


def role_ping(options):
    bus = open_bus(options)
    count = int(options.get("count", "20000"))
    warmup = float(options.get("warmup", "0.5"))
    ping = message(PING)
    lost = 0
    ready()
    clock = time.perf_counter_ns
    end = time.perf_counter() + warmup
    while time.perf_counter() < end:
        if not ping_once(bus, ping):
            lost += 1
    rtts = []
    cpu0 = cpu_seconds()
    while len(rtts) < count:
        t0 = clock()
        if ping_once(bus, ping):
            rtts.append(clock() - t0)
        else:
            lost += 1
    cpu = cpu_seconds() - cpu0
    stop = message(STOP)
    for _ in range(5):
        bus.send(stop)
    rtts.sort()

    def at(q):
        rank = math.ceil(q * len(rtts))  # nearest rank, as the .NET roles
        return rtts[min(max(rank - 1, 0), len(rtts) - 1)] / 1000.0

    result(rtt_p50_us=at(0.50), rtt_p90_us=at(0.90), rtt_p99_us=at(0.99), rtt_max_us=rtts[-1] / 1000.0,
           rtt_mean_us=sum(rtts) / len(rtts) / 1000.0, pings=len(rtts), lost=lost, ping_cpu_us_per_rtt=cpu * 1e6 / count)
    bus.shutdown()


def role_pong(options):
    bus = open_bus(options)
    deadline = time.perf_counter() + float(options.get("deadline", "120"))
    pong = message(PONG)
    pongs = 0
    cpu0 = cpu_seconds()
    ready()
    while time.perf_counter() < deadline:
        msg = bus.recv(0.2)
        if msg is None:
            continue
        kind = msg.data[0]
        if kind == PING:
            bus.send(pong)
            pongs += 1
        elif kind == STOP:
            break
    result(pongs=pongs, pong_cpu_seconds=cpu_seconds() - cpu0)
    bus.shutdown()


def role_periodic_send(options):
    """python-can's own send_periodic (ThreadBasedCyclicSendTask for udp_multicast), warmed up like the .NET sender."""
    bus = open_bus(options)
    period = float(options.get("period-ms", "10")) / 1000
    count = int(options.get("count", "500"))
    warmup = float(options.get("warmup", "0.5"))
    ready()
    task = bus.send_periodic(message(WARMUP), period, duration=warmup)
    time.sleep(warmup + 0.2)
    task.stop()
    time.sleep(0.3)
    task = bus.send_periodic(message(MEASURED), period, duration=count * period)
    time.sleep(count * period + 0.5)
    task.stop()
    end = message(END)
    for _ in range(10):
        bus.send(end)
        time.sleep(0.01)
    result(period_ms=period * 1000)
    bus.shutdown()


def role_codec(options):
    """pack_message and unpack_message(check=True) per classic 8-byte frame, as the udp_multicast bus calls them."""
    from can.interfaces.udp_multicast.utils import unpack_message
    iterations = int(options.get("iterations", "200000"))
    msg = can.Message(arbitration_id=ARBITRATION_ID, is_extended_id=False, data=bytes([1, 2, 3, 4, 5, 6, 7, 8]),
                      timestamp=1_700_000_000.123456)
    data = pack_message(msg)
    ready()
    clock = time.process_time_ns  # CPU time, as the .NET side: other processes on the CPU do not count
    for _ in range(iterations // 10):  # warm caches
        pack_message(msg)
        unpack_message(data, replace={"timestamp": 1.0}, check=True)
    chunk = max(1, iterations // 10)
    encode, decode = [], []
    for _ in range(10):  # median of 10 chunks, as the .NET side
        start = clock()
        for _ in range(chunk):
            pack_message(msg)
        encode.append((clock() - start) / chunk)
        start = clock()
        for _ in range(chunk):
            unpack_message(data, replace={"timestamp": 1.0}, check=True)
        decode.append((clock() - start) / chunk)
    encode.sort()
    decode.sort()
    result(encode_ns=(encode[4] + encode[5]) / 2, decode_ns=(decode[4] + decode[5]) / 2)


def main():
    role = sys.argv[1]
    if role == "pack":
        print(pack_message(message(int(sys.argv[2]))).hex())
        return
    if role == "version":
        print(can.__version__)
        return
    options = parse(sys.argv[2:])
    if role == "codec":
        role_codec(parse(sys.argv[2:]))
        return
    roles = {"send": role_send, "recv": role_recv, "ping": role_ping, "pong": role_pong, "periodic-send": role_periodic_send}
    roles[role](options)


if __name__ == "__main__":
    main()
