#!/usr/bin/env bash
# Sets up and runs every test on a fresh machine: browsers, dependencies, build, type check, Firefox lint, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-browsers.sh

npm run build
npm run typecheck
npm run lint:firefox
set +e
npx vitest run --reporter=default --reporter=json --outputFile=.vitest-results.json
status=$?
set -e
# A plain closing line, for readers that do not know Vitest's summary.
node -e 'const r=JSON.parse(require("fs").readFileSync(".vitest-results.json","utf8"));console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests+r.numTodoTests} skipped`)' || true
exit $status
