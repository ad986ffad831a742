#!/usr/bin/env bash
# Regenerates PublicAPI.Unshipped.txt of one or more projects from the PublicApiAnalyzers diagnostics:
# every public symbol the analyzer finds undeclared (RS0016) is listed, every declared symbol that is gone
# (RS0017, e.g. removed from PublicAPI.Shipped.txt's surface) is listed as *REMOVED*. Review the diff before
# committing: it is the change of the public surface.
#
# Usage: scripts/update-public-api.sh src/CanUdpMulticast [src/CanUdpMulticast.Sqlite ...]
#        (a project folder or its .csproj; a project without the two files gets them)
# Environment: CONFIGURATION (default Release).
set -euo pipefail
cd "$(dirname "$0")/.."
configuration="${CONFIGURATION:-Release}"

if [[ $# -eq 0 ]]; then
  echo "usage: $0 <project folder or .csproj>..." >&2
  exit 2
fi

for arg in "$@"; do
  if [[ -d "$arg" ]]; then
    csproj="$(ls "$arg"/*.csproj | head -1)"
  else
    csproj="$arg"
  fi
  dir="$(cd "$(dirname "$csproj")" && pwd)"
  csproj_abs="$dir/$(basename "$csproj")"
  [[ -f "$dir/PublicAPI.Shipped.txt" ]] || printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
  # Start from an empty Unshipped file so the analyzer reports the whole undeclared surface.
  printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"

  log="$(mktemp)"
  # --no-incremental: warnings of an up-to-date project are not repeated otherwise.
  if ! dotnet build "$csproj_abs" -c "$configuration" --no-incremental -nologo -clp:NoSummary \
      -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= > "$log" 2>&1; then
    grep -E ': error ' "$log" | sort -u >&2 || true
    echo "$csproj: build failed; $dir/PublicAPI.Unshipped.txt is left empty" >&2
    rm -f "$log"
    exit 1
  fi

  {
    printf '#nullable enable\n'
    {
      grep -F "[$csproj_abs]" "$log" | grep -F 'warning RS0016' \
        | sed -E "s/.*Symbol '(.*)' is not part of the declared public API.*/\1/" || true
      grep -F "[$csproj_abs]" "$log" | grep -F 'warning RS0017' \
        | sed -E "s/.*Symbol '(.*)' is part of the declared API, but is either not public or could not be found.*/*REMOVED*\1/" || true
    } | LC_ALL=C sort -u
  } > "$dir/PublicAPI.Unshipped.txt"
  rm -f "$log"
  echo "$dir/PublicAPI.Unshipped.txt: $(($(wc -l < "$dir/PublicAPI.Unshipped.txt") - 1)) entries"
done
