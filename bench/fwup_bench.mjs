// SPDX-License-Identifier: MIT
// fwup_bench: the firmware upload of the web UI over loopback (G4):
//   - throughput: POST /api/firmware of an image of 4, 16 and 60 MiB with a
//     checksum that is not the file's, from the first byte sent to the
//     answer (E02 UP: the whole body streamed to the data directory and its
//     MD5 computed; no restart), median / min / max of RUNS uploads;
//   - once per size, the good checksum: to the 100 UP answer (MD5, then the
//     image's SHA-256 and the simulated installer), then evsed restarts;
//   - evsed's RSS (VmRSS, sampled every 10 ms) before and at its highest
//     during the uploads of each size: it must not grow with the file.
// Usage: node bench/fwup_bench.mjs build/evsed [RUNS]   (measure a build
// without sanitizers)
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const EVSED = process.argv[2];
const RUNS = Number(process.argv[3] || 5);
if (!EVSED) { console.error('usage: node bench/fwup_bench.mjs EVSED [RUNS]'); process.exit(2); }
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const MiB = 1024 * 1024;

const port = await new Promise((res) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fwup-bench-'));
const ev = spawn(path.resolve(EVSED), ['--data-dir', dir, '--set', 'clock=sim', '--set', 'profile=evplus',
  '--set', `web.listen=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'ignore'] });
let out = '';
ev.stdout.on('data', (d) => { out += d; });
for (let i = 0; i < 200 && !out.includes('web UI:'); i++) await sleep(25);
if (!out.includes('web UI:')) { console.error('evsed did not start its web UI'); ev.kill('SIGKILL'); process.exit(1); }
const base = `https://127.0.0.1:${port}`;
const ca = fs.readFileSync(path.join(dir, 'web-cert.pem'));

function call(method, p, body, s = {}) {
  return new Promise((resolve, reject) => {
    const data = body ? JSON.stringify(body) : null;
    const h = { 'content-type': 'application/json', 'content-length': data ? Buffer.byteLength(data) : 0 };
    if (s.cookie) h.cookie = s.cookie;
    if (s.csrf) h['x-csrf-token'] = s.csrf;
    const r = https.request(`${base}${p}`, { method, headers: h, ca, agent: false }, (res) => {
      let t = '';
      res.on('data', (c) => { t += c; });
      res.on('end', () => resolve({ json: JSON.parse(t), cookie: (res.headers['set-cookie'] || [''])[0].split(';')[0] }));
    });
    r.on('error', reject);
    if (data) r.write(data);
    r.end();
  });
}
async function login(password) {
  const r = await call('POST', '/api/login', { user: 'installer', password });
  return { cookie: r.cookie, csrf: r.json.data.csrf };
}
let s = await login('123456');
await call('POST', '/api/password', { current: '123456', new: 'Bench-pass-1' }, s);

const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${ev.pid}/status`, 'utf8'))[1]);

/** Upload file with checksum: [ms to the answer, HTTP status, highest RSS]. */
function upload(file, checksum) {
  return new Promise((resolve, reject) => {
    let peak = rss();
    const sampler = setInterval(() => { peak = Math.max(peak, rss()); }, 10);
    const t0 = process.hrtime.bigint();
    const r = https.request(`${base}/api/firmware?checksum=${checksum}`, {
      method: 'POST', ca, agent: false,
      headers: { 'content-type': 'application/octet-stream', 'content-length': file.length, cookie: s.cookie, 'x-csrf-token': s.csrf },
    }, (res) => {
      res.resume();
      res.on('end', () => {
        clearInterval(sampler);
        resolve([Number(process.hrtime.bigint() - t0) / 1e6, res.statusCode, Math.max(peak, rss())]);
      });
    });
    r.on('error', (e) => { clearInterval(sampler); reject(e); });
    r.end(file);
  });
}

function image(bytes) {
  const payload = crypto.randomBytes(bytes - 112);
  const h = Buffer.alloc(112);
  h.write('EVSEDFW1', 0, 'latin1');
  h.write(`bench-${bytes}`, 8, 'latin1');
  h.writeBigUInt64BE(BigInt(payload.length), 72);
  crypto.createHash('sha256').update(payload).digest().copy(h, 80);
  return Buffer.concat([h, payload]);
}

const rows = [];
for (const mib of [4, 16, 60]) {
  const img = image(mib * MiB);
  const before = rss();
  const times = [];
  let peak = 0;
  for (let i = 0; i < RUNS; i++) {
    const [ms, status, p] = await upload(img, '0'.repeat(32));
    if (status !== 422) { console.error(`expected E02 (422), got ${status}`); ev.kill('SIGKILL'); process.exit(1); }
    times.push(ms);
    peak = Math.max(peak, p);
  }
  const md5 = crypto.createHash('md5').update(img).digest('hex');
  const [okMs, okStatus, okPeak] = await upload(img, md5);
  if (okStatus !== 200) { console.error(`expected 100 UP (200), got ${okStatus}`); ev.kill('SIGKILL'); process.exit(1); }
  peak = Math.max(peak, okPeak);
  rows.push({ mib, med: median(times), min: Math.min(...times), max: Math.max(...times), okMs, before, peak });
  console.error(`${mib} MiB: ${times.map((x) => x.toFixed(0)).join(' ')} ms; 100 UP ${okMs.toFixed(0)} ms; RSS ${before} -> ${peak} KiB`);
  // The restart after 100 UP: wait for the UI, log in again.
  await sleep(700);
  for (let i = 0; i < 200; i++) {
    try { s = await login('Bench-pass-1'); if (s.csrf) break; } catch { /* restarting */ }
    await sleep(50);
  }
}
ev.kill('SIGTERM');
fs.rmSync(dir, { recursive: true, force: true });

console.log(`| image | upload + MD5 to E02, median (min-max) of ${RUNS} | throughput (median) | to 100 UP (MD5 + SHA-256 + install) | evsed RSS before -> highest during the uploads |`);
console.log('|---:|---:|---:|---:|---:|');
for (const r of rows)
  console.log(`| ${r.mib} MiB | ${r.med.toFixed(0)} ms (${r.min.toFixed(0)}-${r.max.toFixed(0)}) | ${(r.mib / (r.med / 1000)).toFixed(0)} MiB/s | ${r.okMs.toFixed(0)} ms | ${r.before} -> ${r.peak} KiB |`);
