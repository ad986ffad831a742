#!/usr/bin/env bash
# The loopback benchmark harness in one command (docs/benchmarks.md): builds outside the network namespace (NuGet
# is unreachable inside), then runs the orchestrator inside a private one (scripts/in-netns.sh), which starts every
# sender/receiver as a separate process (pinned with taskset where a scenario says so) and prints one Markdown report.
#
#   scripts/bench.sh                      # the full run: 3 repetitions of everything (about 10 minutes on 2 CPUs)
#   scripts/bench.sh --quick              # a short development run
#   scripts/bench.sh --only rtt --systems raw,python
#
# The report also goes to artifacts/bench/harness-<time>.md (+ .json with every run) unless --out is given.
set -euo pipefail
cd "$(dirname "$0")/.."

project=benchmarks/CanUdpMulticast.Harness.Runner
dotnet build "$project" -c Release -nologo -clp:ErrorsOnly

args=("$@")
if [[ " $* " != *" --out "* ]]; then
  mkdir -p artifacts/bench
  args+=(--out "artifacts/bench/harness-$(date +%Y%m%d-%H%M%S).md")
fi

exec scripts/in-netns.sh dotnet "$project/bin/Release/net10.0/CanUdpMulticast.Harness.Runner.dll" "${args[@]}"
