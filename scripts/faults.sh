#!/usr/bin/env bash
# The fault and soak battery (issue 14), inside private network namespaces (scripts/in-netns.sh; the scenarios make
# more namespaces, a bridge and veth links of their own). Nothing leaves this machine.
#
#   scripts/faults.sh            the short form: the same test project scripts/test.sh runs (about a minute)
#   scripts/faults.sh full       every scenario at full size (1,200 dispose races per API, ...), then the soak; writes
#                                the figures into docs/reliability.md
#
# Environment (full form): SOAK_SECONDS (default 90), SOAK_RATE frames/s (default 20000), SOAK_RECEIVERS (default 3).
# Exits non-zero when a scenario failed (the report says which).
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-short}"
out="$(pwd)/artifacts/faults"
agent="$(pwd)/tests/CanUdpMulticast.Faults.Agent/bin/Release/net10.0/CanUdpMulticast.Faults.Agent.dll"

# --- inside the namespace: the soak (one sender process, N receiver processes sampling RSS and GC heap) ---
if [[ "$mode" == "--soak-inside" ]]; then
  seconds="$2" rate="$3" receivers="$4" dir="$5"
  group=239.77.250.1 port=43180
  pids=()
  for i in $(seq 1 "$receivers"); do
    dotnet "$agent" recv "$group" "$port" 3 $((seconds + 60)) 5 >"$dir/recv$i.txt" 2>&1 &
    pids+=($!)
  done
  for i in $(seq 1 "$receivers"); do
    for _ in $(seq 1 300); do grep -q READY "$dir/recv$i.txt" 2>/dev/null && break; sleep 0.1; done
  done
  dotnet "$agent" send "$group" "$port" $((seconds * rate)) "$rate" 42 0 >"$dir/send.txt" 2>&1
  for pid in "${pids[@]}"; do wait "$pid"; done
  exit 0
fi

dotnet build tests/CanUdpMulticast.Faults.Tests/CanUdpMulticast.Faults.Tests.csproj -c Release -nologo -clp:ErrorsOnly >/dev/null

if [[ "$mode" != "full" ]]; then
  exec scripts/in-netns.sh dotnet test tests/CanUdpMulticast.Faults.Tests --no-build -c Release -nologo
fi

rm -rf "$out"
mkdir -p "$out/soak"
started=$(date +%s)
status=0
FAULTS_FULL=1 FAULTS_REPORT="$out/report.tsv" scripts/in-netns.sh \
  dotnet test tests/CanUdpMulticast.Faults.Tests --no-build -c Release -nologo \
  --logger "trx;LogFileName=$out/faults.trx" --logger "console;verbosity=normal" >"$out/tests.log" 2>&1 || status=1
grep -E "^\s+(Passed|Failed|Skipped) " "$out/tests.log" | sed 's/^ *//' >"$out/outcomes.txt" || true
battery_seconds=$(( $(date +%s) - started ))

seconds="${SOAK_SECONDS:-90}" rate="${SOAK_RATE:-20000}" receivers="${SOAK_RECEIVERS:-3}"
scripts/in-netns.sh bash scripts/faults.sh --soak-inside "$seconds" "$rate" "$receivers" "$out/soak"

/usr/bin/python3 - "$out" "$seconds" "$rate" "$receivers" "$battery_seconds" <<'PY' || status=1
import glob, os, re, subprocess, sys
out, seconds, rate, receivers, battery_seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
lines = []
ok = True
sent = int(open(f"{out}/soak/send.txt").read().split("SENT")[1].split()[0])
lines.append(f"Soak: {seconds} s at {rate} frames/s, one sender process, {receivers} receiving processes, sent {sent:,} frames.")
lines.append("")
lines.append("| receiver | received | drops reported | received + drops = sent | duplicates | reordered | RSS at 30 s -> end (MB) | GC heap min / max after 30 s (MB) | flat |")
lines.append("| --- | ---: | ---: | --- | ---: | ---: | --- | --- | --- |")
for path in sorted(glob.glob(f"{out}/soak/recv*.txt")):
    text = open(path).read()
    result = dict(kv.split("=") for kv in re.search(r"RESULT (.*)", text).group(1).split())
    samples = [tuple(float(x) for x in m.groups()) for m in re.finditer(r"SAMPLE (\S+) (\d+) (\d+) (\d+)", text)]
    warm = [s for s in samples if s[0] >= 30 and s[0] <= seconds]
    rss0, rss1 = warm[0][1] / 2**20, warm[-1][1] / 2**20
    heap = [s[2] / 2**20 for s in warm]
    # Flat: RSS grows by less than 10 % (+ 4 MB of slack for the runtime) from 30 s to the end of the sending.
    flat = rss1 <= rss0 * 1.10 + 4
    received, dropped = int(result["received"]), int(result["dropped"])
    accounted = received + dropped == sent
    ok &= flat and accounted and result["duplicates"] == "0" and result["reordered"] == "0"
    lines.append(f"| {os.path.basename(path)[:-4]} | {received:,} | {dropped:,} | {'yes' if accounted else 'NO'} | {result['duplicates']} | {result['reordered']} | {rss0:.1f} -> {rss1:.1f} | {min(heap):.1f} / {max(heap):.1f} | {'yes' if flat else 'NO'} |")
lines.append("")
lines.append(f"Scenarios (full form, {battery_seconds} s; `received + dropped = sent` is checked by each):")
lines.append("")
lines.append("| scenario | figures |")
lines.append("| --- | --- |")
for row in open(f"{out}/report.tsv"):
    scenario, figures = row.rstrip("\n").split("\t", 1)
    lines.append(f"| {scenario} | {figures.replace('|', '/')} |")
lines.append("")
lines.append("Outcomes:")
lines.append("")
lines.append("```")
lines.extend(l.rstrip() for l in open(f"{out}/outcomes.txt"))
lines.append("```")
load = open("/proc/loadavg").read().split()[:3]
cpus = os.cpu_count()
date = subprocess.run(["date", "-u", "+%Y-%m-%d %H:%M UTC"], capture_output=True, text=True).stdout.strip()
head = [f"Run {date} on {cpus} cores shared with other work (load average at the end: {' '.join(load)}); figures from a loaded machine.", ""]
figures = "\n".join(head + lines)
doc = "docs/reliability.md"
text = open(doc).read()
begin, end = "<!-- faults:begin -->", "<!-- faults:end -->"
text = text[: text.index(begin) + len(begin)] + "\n" + figures + "\n" + text[text.index(end):]
open(doc, "w").write(text)
print(figures)
sys.exit(0 if ok else 1)
PY
echo "faults: full form done (details: $out)"
exit $status
