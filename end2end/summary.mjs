// Prints the closing line of the browser suite: "N passed, N failed".
import { readFileSync } from 'node:fs';

const file = process.argv[2];
let passed = 0;
let failed = 0;
try {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed = report.stats?.expected ?? 0;
  failed = (report.stats?.unexpected ?? 0) + (report.stats?.flaky ?? 0);
} catch (e) {
  console.log(`browser suite: no report (${e.message})`);
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
