#!/usr/bin/env node
// The closing line of scripts/test.sh, and its last gate: reads Vitest's JSON reports (one per project) and fails
// when a report is missing, a project ran no test, or any test failed, was skipped or is a todo — a suite that
// passes by not running is a failure.  Usage: node scripts/test-summary.mjs <report.json>...
import { existsSync, readFileSync } from 'node:fs';

export function summarize(reports) {
  let passed = 0,
    failed = 0,
    skipped = 0,
    todo = 0;
  const problems = [];
  for (const [file, report] of reports) {
    if (!report) {
      problems.push(`${file}: no report (the run did not finish)`);
      continue;
    }
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests;
    todo += report.numTodoTests;
    if (report.numTotalTests === 0) problems.push(`${file}: no test ran`);
    if (report.numFailedTestSuites > 0) problems.push(`${file}: ${report.numFailedTestSuites} test suite(s) failed`);
    for (const suite of report.testResults ?? []) {
      for (const test of suite.assertionResults ?? []) {
        if (test.status === 'skipped' || test.status === 'pending' || test.status === 'todo') {
          problems.push(`${test.status}: ${suite.name.replace(process.cwd() + '/', '')} > ${test.fullName}`);
        }
      }
    }
  }
  if (failed > 0) problems.push(`${failed} test(s) failed`);
  if (skipped + todo > 0) problems.push(`${skipped} skipped and ${todo} todo test(s): every test must run`);
  // The plain closing line CI readers know ('N passed, N failed, N skipped'); todo tests count as skipped.
  return { line: `${passed} passed, ${failed} failed, ${skipped + todo} skipped`, problems };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = process.argv.slice(2);
  const { line, problems } = summarize(files.map((f) => [f, existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : null]));
  console.log(line);
  for (const problem of problems) console.error(`FAIL: ${problem}`);
  process.exit(problems.length > 0 ? 1 : 0);
}
