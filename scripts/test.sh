#!/usr/bin/env bash
# Sets up and runs every test on a fresh machine: browsers (their versions printed first, and checked against
# test/e2e/browser-versions.json), build, type check, lint and formatting (biome.jsonc), Firefox lint, then the unit and panel
# tests and, after them (so real browsers never compete with the unit workers for the two cores), the real-browser
# tests.
# Fails on any failed, skipped or todo test, and on a project that ran nothing (scripts/test-summary.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-browsers.sh
node scripts/browser-versions.mjs
npm run build
npm run typecheck
npm run lint
npm run format:check
npm run lint:firefox
status=0
reports=()
# The projects named in vitest.config.ts (CI_PROJECTS); test/meta/test-projects.test.ts checks this list.
for project in unit panel e2e; do
  rm -f ".vitest-$project.json"
  npx vitest run --project "$project" --reporter=default --reporter=json --outputFile=".vitest-$project.json" || status=$?
  reports+=(".vitest-$project.json")
done
node scripts/test-summary.mjs "${reports[@]}" || status=1
exit $status
