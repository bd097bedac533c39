#!/usr/bin/env bash
# Sets up and runs every test on a fresh machine: browsers, build, type check, Firefox lint, then the unit tests and,
# after them (so real browsers never compete with the unit workers for the two cores), the real-browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-browsers.sh
npm run build
npm run typecheck
npm run lint:firefox
status=0
npx vitest run --project unit --reporter=default --reporter=json --outputFile=.vitest-unit.json || status=$?
npx vitest run --project e2e --reporter=default --reporter=json --outputFile=.vitest-e2e.json || status=$?
# A plain closing line, for readers that do not know Vitest's summary.
node -e '
const fs = require("fs");
let passed = 0, failed = 0, skipped = 0;
for (const f of [".vitest-unit.json", ".vitest-e2e.json"]) {
  if (!fs.existsSync(f)) { failed++; continue; }
  const r = JSON.parse(fs.readFileSync(f, "utf8"));
  passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + r.numTodoTests;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);' || true
exit $status
