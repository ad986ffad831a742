#!/usr/bin/env bash
# The loopback benchmark harness in one command (docs/benchmarks.md): builds outside the network namespace (NuGet
# is unreachable inside), then runs the orchestrator inside a private one (scripts/in-netns.sh), which starts every
# sender/receiver as a separate process (pinned with taskset where a scenario says so) and prints one Markdown report.
#
#   scripts/bench.sh                      # the full run: 3 repetitions of everything, the pairs that targets compare 5x (about 22 minutes on 2 CPUs)
#   scripts/bench.sh --quick              # a short development run
#   scripts/bench.sh --only rtt --systems raw,python
#   scripts/bench.sh --only nats [--runs N] [frames pings]   # the nats bus: N alternating raw/bus pairs (NatsBench)
#
# The report also goes to artifacts/bench/harness-<time>.md (+ .json with every run) unless --out is given.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--only" && "${2:-}" == "nats" ]]; then
  # The nats bus against raw NATS.Net (docs/benchmarks.md, issue 13): a separate program, since it needs nats-server and
  # NATS.Net, which the loopback harness does not. --runs N: N raw/bus pairs, alternating (raw, bus, bus, raw, ...),
  # every row in a fresh process with its own nats-server; per-pair ratios and their median (default 5 pairs,
  # 300,000 frames per pass). NATSBENCH_REFS=subbase,rawbuf,tiny,bare,one,three,udp picks the reference rows run once per pair.
  # NATSBENCH_SINGLE=1: the earlier form instead, every row in one process in a fixed order, --runs times.
  shift 2
  runs=5
  if [[ "${1:-}" == "--runs" ]]; then runs=$2; shift 2; fi
  nats_project=benchmarks/CanUdpMulticast.NatsBench
  dotnet build "$nats_project" -c Release -nologo -clp:ErrorsOnly
  mkdir -p artifacts/bench
  out="artifacts/bench/nats-$(date +%Y%m%d-%H%M%S).md"
  dll="$nats_project/bin/Release/net10.0/CanUdpMulticast.NatsBench.dll"
  if [[ "${NATSBENCH_SINGLE:-}" == "1" ]]; then
    for ((run = 1; run <= runs; run++)); do
      echo "## run $run of $runs ($(date -u +%H:%M:%S) UTC)"
      scripts/in-netns.sh dotnet "$dll" "$@"
      echo
    done | tee "$out"
  else
    echo "## $(date -u +%H:%M:%S) UTC" | tee "$out"
    scripts/in-netns.sh dotnet "$dll" --pairs "$runs" "$@" | tee -a "$out"
  fi
  exit "${PIPESTATUS[0]}"
fi

project=benchmarks/CanUdpMulticast.Harness.Runner
dotnet build "$project" -c Release -nologo -clp:ErrorsOnly

args=("$@")
if [[ " $* " != *" --out "* ]]; then
  mkdir -p artifacts/bench
  args+=(--out "artifacts/bench/harness-$(date +%Y%m%d-%H%M%S).md")
fi

exec scripts/in-netns.sh dotnet "$project/bin/Release/net10.0/CanUdpMulticast.Harness.Runner.dll" "${args[@]}"
