#!/usr/bin/env bash
# Packs every project under src/ (the libraries with their .snupkg symbols, and the canudp tool) into
# artifacts/packages (or the folder given). The version is version.txt's. CI=true makes the builds deterministic
# with SourceLink paths (src/Directory.Build.props).
#
#   scripts/pack.sh [OUTPUT]
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-artifacts/packages}"
mkdir -p "$out"
for project in src/*/*.csproj; do
  dotnet pack "$project" -c Release -o "$out" -nologo -clp:ErrorsOnly
done
ls -l "$out"
