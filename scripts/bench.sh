#!/usr/bin/env bash
# The loopback benchmark harness in one command (docs/benchmarks.md): builds outside the network namespace (NuGet
# is unreachable inside), then runs the orchestrator inside a private one (scripts/in-netns.sh), which starts every
# sender/receiver as a separate process (pinned with taskset where a scenario says so) and prints one Markdown report.
#
#   scripts/bench.sh                      # the full run: 3 repetitions of everything (about 10 minutes on 2 CPUs)
#   scripts/bench.sh --quick              # a short development run
#   scripts/bench.sh --only rtt --systems raw,python
#   scripts/bench.sh --only nats [--runs N] [frames pings]   # the nats bus table (NatsBench; its own local nats-server)
#
# The report also goes to artifacts/bench/harness-<time>.md (+ .json with every run) unless --out is given.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--only" && "${2:-}" == "nats" ]]; then
  # The nats bus against raw NATS.Net and the UDP bus through one local nats-server (docs/benchmarks.md, issue 13):
  # a separate program, since it needs nats-server and NATS.Net, which the loopback harness does not.
  shift 2
  runs=1
  if [[ "${1:-}" == "--runs" ]]; then runs=$2; shift 2; fi
  nats_project=benchmarks/CanUdpMulticast.NatsBench
  dotnet build "$nats_project" -c Release -nologo -clp:ErrorsOnly
  mkdir -p artifacts/bench
  out="artifacts/bench/nats-$(date +%Y%m%d-%H%M%S).md"
  for ((run = 1; run <= runs; run++)); do
    echo "## run $run of $runs ($(date -u +%H:%M:%S) UTC)"
    scripts/in-netns.sh dotnet "$nats_project/bin/Release/net10.0/CanUdpMulticast.NatsBench.dll" "$@"
    echo
  done | tee "$out"
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
