#!/usr/bin/env bash
# Fuzzes the parsers of untrusted input with afl-fuzz (Debian afl++) through SharpFuzz's instrumentation: no
# libFuzzer involved. Targets: fuzz/CanUdpMulticast.Fuzz (`list` shows them); seeds: fuzz/corpus/TARGET.
#
#   scripts/fuzz.sh [TARGET|all] [SECONDS]     afl-fuzz each target for SECONDS (default: all, 60)
#   scripts/fuzz.sh smoke [SECONDS]            every target for SECONDS (default 10): the bounded run scripts/test.sh does
#   scripts/fuzz.sh mutate [TARGET|all] [N]    the in-process mutation mode (no afl), N executions per target (default 100000)
#
# Prints, per target: executions, paths (afl's corpus entries), crashes and hangs, and replays every crash and hang
# with its stack trace. Exits non-zero when a target crashed or hung. Findings stay under artifacts/fuzz/findings/.
# The harnesses open no sockets; nothing here touches a network.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-all}"
seconds="${2:-60}"
out="$(pwd)/artifacts/fuzz"
bin="$out/bin"
tools="$out/tools"

build() {
  rm -rf "$bin"
  dotnet publish fuzz/CanUdpMulticast.Fuzz/CanUdpMulticast.Fuzz.csproj -c Release -o "$bin" -nologo -clp:ErrorsOnly >/dev/null
}

if [[ "$mode" == "mutate" ]]; then
  build
  exec dotnet "$bin/CanUdpMulticast.Fuzz.dll" mutate "${2:-all}" "${3:-100000}" 1 "$out/findings/mutate"
fi

if ! command -v afl-fuzz >/dev/null; then
  echo "fuzz: afl-fuzz is not installed (apt-get install afl++)" >&2
  exit 2
fi

if [[ ! -x "$tools/sharpfuzz" ]]; then
  dotnet tool install --tool-path "$tools" SharpFuzz.CommandLine --version 2.3.0 >/dev/null
fi

build
# Instrument the assemblies that hold the parsers (in place, in this private copy only).
for dll in CanUdpMulticast.dll CanUdpMulticast.Sqlite.dll canudp.dll; do
  "$tools/sharpfuzz" "$bin/$dll" >/dev/null
done

if [[ "$mode" == "smoke" ]]; then
  targets="$(dotnet "$bin/CanUdpMulticast.Fuzz.dll" list | awk '{print $1}')"
  seconds="${2:-10}"
elif [[ "$mode" == "all" ]]; then
  targets="$(dotnet "$bin/CanUdpMulticast.Fuzz.dll" list | awk '{print $1}')"
else
  targets="$mode"
fi

# afl's checks that do not fit a managed target on a shared machine: the binary is `dotnet` (not instrumented
# itself), no CPU pinning (others use the cores), core dumps may go to a handler, the first start of .NET is slow.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_UI=1 AFL_FORKSRV_INIT_TMOUT=60000 AFL_QUIET=1 AFL_NO_CRASH_README=1
export DOTNET_TieredPGO=0

status=0
printf '%-10s %12s %8s %8s %8s\n' target executions paths crashes hangs
for target in $targets; do
  findings="$out/findings/$target"
  rm -rf "$findings"
  mkdir -p "$findings"
  timeout --kill-after=10 $((seconds + 60)) afl-fuzz -i "fuzz/corpus/$target" -o "$findings" -V "$seconds" -t 5000 -m none \
    -- dotnet "$bin/CanUdpMulticast.Fuzz.dll" afl "$target" >"$findings/afl.log" 2>&1 || true
  stats="$findings/default/fuzzer_stats"
  if [[ ! -f "$stats" ]]; then
    echo "fuzz: afl-fuzz did not start for $target; see $findings/afl.log:" >&2
    tail -n 15 "$findings/afl.log" >&2
    status=1
    continue
  fi
  get() { sed -n "s/^$1 *: *//p" "$stats"; }
  printf '%-10s %12s %8s %8s %8s\n' "$target" "$(get execs_done)" "$(get corpus_count)" "$(get saved_crashes)" "$(get saved_hangs)"
  for kind in crashes hangs; do
    if compgen -G "$findings/default/$kind/id:*" >/dev/null; then
      status=1
      echo "--- $target $kind (replayed):"
      dotnet "$bin/CanUdpMulticast.Fuzz.dll" run "$target" "$findings/default/$kind" 2>&1 | head -n 40 || true
    fi
  done
done
exit $status
