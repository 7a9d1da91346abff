// Runs the browser tests in order and prints one line per test; exit 1 on any failure, 77 when
// the browser or playwright-core is missing (ctest reports the test as skipped).
//   node run.mjs [name-filter]
import { Harness, Skip, shotsDir } from './harness.mjs';
import search from './search.test.mjs';
import item from './item.test.mjs';
import pack from './pack.test.mjs';
import i18n from './i18n.test.mjs';

const filter = process.argv[2] || '';
const tests = [...search, ...item, ...pack, ...i18n].filter(([name]) => name.includes(filter));
const h = new Harness();
process.on('SIGINT', () => h.stop().finally(() => process.exit(130)));

let failed = 0;
try {
  await h.start();
} catch (error) {
  await h.stop();
  if (error instanceof Skip) {
    console.log(`skipped: ${error.message}`);
    process.exit(77);
  }
  throw error;
}
console.log(`server ${h.base}; screenshots in ${shotsDir}`);
for (const [name, fn] of tests) {
  const started = Date.now();
  try {
    await fn(h);
    console.log(`ok     ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    failed += 1;
    console.log(`FAILED ${name}\n  ${String(error.stack || error).split('\n').slice(0, 6).join('\n  ')}`);
  }
}
// Checks over every page the tests opened.
const checks = [
  ['no request left 127.0.0.1', h.offsite],
  ['no CSP violation or script error', h.problems],
];
for (const [name, list] of checks) {
  if (list.length === 0) {
    console.log(`ok     ${name}`);
  } else {
    failed += 1;
    console.log(`FAILED ${name}:\n  ${[...new Set(list)].slice(0, 10).join('\n  ')}`);
  }
}
console.log(`axe-core checked ${h.axeChecked.size} pages: ${[...h.axeChecked].join(', ')}`);
if (h.axeMinor.length) console.log(`axe-core minor or moderate findings:\n  ${h.axeMinor.join('\n  ')}`);
await h.stop();
console.log(`${tests.length + checks.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
