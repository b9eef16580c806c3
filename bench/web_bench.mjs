// SPDX-License-Identifier: MIT
// web_bench: the web UI over loopback (G1 G3, issue 8 "Performance"):
//   - time to first render of the connectors page: a logged-in Chromium
//     loads https://127.0.0.1:PORT/#connectors with an empty cache until the
//     first connector card is on screen (median, min, max of RUNS loads);
//   - page weight: the bytes of every file of the UI;
//   - RSS of evsed with 5 browser sessions open, each on the live connectors
//     page (polling every second) for 10 s: VmRSS and VmHWM.
// Usage: node bench/web_bench.mjs build/evsed [RUNS]   (needs tests/web's
// npm packages and Debian's chromium; measure a build without sanitizers)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '../tests/web/node_modules/playwright-core/index.mjs';

const EVSED = process.argv[2];
const RUNS = Number(process.argv[3] || 11);
if (!EVSED) { console.error('usage: node bench/web_bench.mjs EVSED [RUNS]'); process.exit(2); }
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

const port = await new Promise((res) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-bench-'));
const ev = spawn(path.resolve(EVSED), ['--data-dir', dir, '--set', 'clock=sim', '--set', `web.listen=127.0.0.1:${port}`,
  '--set', 'policy.random_delay_max=0', '--set', 'policy.no_charge_enabled=false'], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
ev.stdout.on('data', (d) => { out += d; });
for (let i = 0; i < 200 && !out.includes('web UI:'); i++) await sleep(25);
if (!out.includes('web UI:')) { console.error('evsed did not start its web UI'); ev.kill('SIGKILL'); process.exit(1); }
const base = `https://127.0.0.1:${port}`;
const ca = fs.readFileSync(path.join(dir, 'web-cert.pem'));

function call(method, p, body, cookie, csrf) {
  return new Promise((resolve, reject) => {
    const data = body ? JSON.stringify(body) : null;
    const h = { 'content-type': 'application/json', 'content-length': data ? Buffer.byteLength(data) : 0 };
    if (cookie) h.cookie = cookie;
    if (csrf) h['x-csrf-token'] = csrf;
    const r = https.request(`${base}${p}`, { method, headers: h, ca }, (res) => {
      let t = '';
      res.on('data', (c) => { t += c; });
      res.on('end', () => resolve({ json: JSON.parse(t), cookie: (res.headers['set-cookie'] || [''])[0].split(';')[0] }));
    });
    r.on('error', reject);
    if (data) r.write(data);
    r.end();
  });
}
// The default password once, then a real one.
let r = await call('POST', '/api/login', { user: 'installer', password: 'Ratioio7' });
await call('POST', '/api/password', { current: 'Ratioio7', new: 'Bench-pass-1' }, r.cookie, r.json.data.csrf);

function rss() {
  const s = fs.readFileSync(`/proc/${ev.pid}/status`, 'utf8');
  const r = fs.readFileSync(`/proc/${ev.pid}/smaps_rollup`, 'utf8');
  return { rss: Number(/VmRSS:\s+(\d+)/.exec(s)[1]), hwm: Number(/VmHWM:\s+(\d+)/.exec(s)[1]),
    anon: Number(/Anonymous:\s+(\d+)/.exec(r)[1]) };
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
async function session() {
  const ctx = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 390, height: 844 } });
  const login = await call('POST', '/api/login', { user: 'installer', password: 'Bench-pass-1' });
  const [name, value] = login.cookie.split('=');
  await ctx.addCookies([{ name, value, domain: '127.0.0.1', path: '/', httpOnly: true, secure: true, sameSite: 'Strict' }]);
  return ctx;
}

try {
  const before = rss();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const ctx = await session();
    const page = await ctx.newPage();
    const t0 = performance.now();
    await page.goto(`${base}/#connectors`);
    await page.locator('[data-connector="1"]').waitFor();
    times.push(performance.now() - t0);
    await ctx.close();
  }
  const ctxs = [];
  for (let i = 0; i < 5; i++) {
    const ctx = await session();
    const page = await ctx.newPage();
    await page.goto(`${base}/#connectors`);
    await page.locator('[data-connector="1"]').waitFor();
    ctxs.push(ctx);
  }
  await sleep(10000);
  const five = rss();
  for (const c of ctxs) await c.close();
  const ui = ['/', '/app.js', '/app.css', '/i18n.js'];
  const size = (f, headers) => new Promise((res) => https.get(`${base}${f}`, { ca, headers }, (x) => { let n = 0; x.on('data', (c) => { n += c.length; }); x.on('end', () => res(n)); }));
  let total = 0, gz = 0;
  for (const f of ui) {
    total += await size(f, {});
    gz += await size(f, { 'accept-encoding': 'gzip' });
  }
  console.log('| measure | value |');
  console.log('|---|---|');
  console.log(`| connectors page, first render (logged in, empty cache, loopback), median of ${RUNS} | ${median(times).toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}) |`);
  console.log(`| the whole UI (every file in web/) as a browser gets it (gzip) | ${(gz / 1024).toFixed(1)} KiB (budget 150 kB); ${(total / 1024).toFixed(1)} KiB uncompressed |`);
  console.log(`| evsed RSS (anonymous) before any browser | ${before.rss} KiB (${before.anon}) |`);
  console.log(`| evsed RSS / peak (anonymous) with 5 browser sessions open for 10 s | ${five.rss} / ${five.hwm} KiB (${five.anon}); budget 9 MB = 9216 KiB |`);
} finally {
  await browser.close();
  ev.kill('SIGTERM');
  await new Promise((res) => ev.on('exit', res));
  fs.rmSync(dir, { recursive: true, force: true });
}
