// Browser-test harness: builds an index, starts the real nexuskb-serve on an ephemeral loopback
// port, launches Debian's Chromium through playwright-core, and records what every page does:
// requests that would leave 127.0.0.1, CSP violations, script errors, axe-core findings.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const sourceDir = process.env.NEXUSKB_SOURCE_DIR || path.resolve(here, '../..');
export const binDir = process.env.NEXUSKB_BIN || path.join(sourceDir, 'build');
const serveBin = process.env.NEXUSKB_SERVE || path.join(binDir, 'nexuskb-serve');
const indexBin = process.env.NEXUSKB_INDEXER || path.join(binDir, 'nexuskb-index');
export const shotsDir = process.env.NEXUSKB_SCREENSHOTS || path.join(binDir, 'browser-screenshots');
const chromiumPath = process.env.NEXUSKB_CHROMIUM || '/usr/bin/chromium';
const contentDir = process.env.NEXUSKB_CONTENT || path.join(sourceDir, 'content');

// TOOLING.md: without the background-networking flags Chromium keeps calling the closed network.
const chromiumFlags = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export class Skip extends Error {}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}
export function equal(actual, expected, message) {
  if (actual !== expected) {
    throw new Error(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

async function loadPlaywright() {
  try {
    return (await import('playwright-core')).chromium;
  } catch {
    throw new Skip('playwright-core is not installed: run scripts/bootstrap (npm ci in tests/browser)');
  }
}

function startServer(indexPath) {
  return new Promise((resolve, reject) => {
    const server = spawn(serveBin, [
      '--index', indexPath, '--listen', '127.0.0.1:0',
      '--templates', path.join(sourceDir, 'templates'), '--no-access-log',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`nexuskb-serve did not start:\n${output}`)), 15000);
    server.stderr.on('data', (chunk) => {
      output += chunk;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ server, base: m[1] });
      }
    });
    server.on('exit', (code) => reject(new Error(`nexuskb-serve exited (${code}):\n${output}`)));
  });
}

export class Harness {
  async start() {
    if (!fs.existsSync(chromiumPath)) throw new Skip(`no Chromium at ${chromiumPath}`);
    const chromium = await loadPlaywright();
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nexuskb-browser-'));
    const indexPath = path.join(this.tmp, 'index');
    execFileSync(indexBin, ['--content', contentDir, '--out', indexPath],
      { stdio: ['ignore', 'ignore', 'inherit'] });
    const { server, base } = await startServer(indexPath);
    this.server = server;
    this.base = base;
    process.on('exit', () => server.kill('SIGTERM'));  // never leave a server behind
    this.browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });
    const require = createRequire(import.meta.url);
    this.axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    fs.mkdirSync(shotsDir, { recursive: true });
    this.offsite = [];
    this.problems = [];
    this.axeChecked = new Set();
    this.axeMinor = [];  // moderate and minor findings, reported but not failing
  }

  // A fresh browser context (own cookies and localStorage) that records its traffic.
  async context({ javaScript = true, locale = 'en-GB' } = {}) {
    const context = await this.browser.newContext({
      javaScriptEnabled: javaScript, locale, viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: this.base });
    context.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol !== 'data:' && url.hostname !== '127.0.0.1') this.offsite.push(request.url());
    });
    // Nothing may leave the machine even if a page tried: such requests are recorded and aborted.
    await context.route((url) => url.protocol !== 'data:' && url.hostname !== '127.0.0.1',
      (route) => route.abort());
    context.on('page', (page) => this.watch(page));
    return context;
  }

  watch(page) {
    page.setDefaultTimeout(15000);
    page.on('console', (msg) => {
      if (/Content.Security.Policy/i.test(msg.text())) this.problems.push(`CSP on ${page.url()}: ${msg.text()}`);
    });
    page.on('pageerror', (error) => this.problems.push(`script error on ${page.url()}: ${error.message}`));
  }

  async open(context, pathAndQuery) {
    const page = await context.newPage();
    const response = await page.goto(this.base + pathAndQuery);
    return { page, response };
  }

  // axe-core with the WCAG 2.1 A/AA rules; serious or critical findings fail the test.
  async axe(page, label) {
    await page.evaluate(this.axeSource);
    const result = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    }));
    assert(result.passes.length > 20, `axe ran few rules on ${label}`);
    this.axeChecked.add(label);
    for (const v of result.violations) this.axeMinor.push(`${label}: ${v.id} (${v.impact})`);
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const details = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`);
    assert(bad.length === 0, `axe on ${label}:\n  ${details.join('\n  ')}`);
    return result;
  }

  async screenshot(page, name) {
    await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage: true });
  }

  async stop() {
    if (this.browser) await this.browser.close();
    if (this.server) this.server.kill('SIGTERM');
    if (this.tmp) fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}
