// SPDX-License-Identifier: MIT
//
// The Local Authorization List at its largest (issue 4, C6), on the real
// evsed against a local ocpp-rpc CSMS on loopback: evsed runs with
// LocalAuthListMaxLength = SendLocalListMaxLength = 10000 (start-only
// settings; the products' defaults are 1000 / 100), and the CSMS sends
//   1. SendLocalList Full with 10,000 entries (each with expiryDate and
//      parentIdTag: about 1.1 MB of JSON), several times, each a new version;
//   2. SendLocalList Differential updates on that list, of 1, 100 and 1,000
//      entries (a tenth of them removals, the rest new entries or changes of
//      existing ones), several times each;
// and reports the time per update (CSMS sends the CALL -> the CALLRESULT is
// back: JSON parse and schema check, sort and merge, one SQLite transaction,
// the answer), median / min / max, and evsed's RSS and peak RSS with the list
// in place. Every answer must be Accepted and GetLocalListVersion must follow.
// A card of the list then starts a session without Authorize
// (LocalPreAuthorize), to show the list is in use.
//
// Usage: node bench/locallist_bench.mjs [--markdown] EVSED [RUNS]
// (needs tests/ocpp/node_modules). The CSMS runs without strict mode so that
// its own validation of 1 MB payloads is not in the figures; the protocol
// tests (tests/ocpp/TC_043*.mjs) check the same frames in strict mode.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../tests/ocpp/package.json'));
const { RPCServer } = require('ocpp-rpc');

const args = process.argv.slice(2);
const markdown = args.includes('--markdown');
const pos = args.filter((a) => !a.startsWith('--'));
if (!pos[0]) {
  console.error('usage: node bench/locallist_bench.mjs [--markdown] EVSED [RUNS]');
  process.exit(2);
}
const EVSED = path.resolve(pos[0]);
const RUNS = Number(pos[1] || 7);
const N = 10000;
const log = markdown ? (...a) => console.error(...a) : (...a) => console.log(...a);

function fail(msg) {
  console.error(`locallist_bench: ${msg}`);
  process.exit(1);
}

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];

function memOf(pid) {
  const t = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (k) => Number((t.match(new RegExp(`${k}:\\s+(\\d+)`)) || [])[1]);
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

function ctl(sock, cmd, a = []) {
  return new Promise((resolve, reject) => {
    const c = net.createConnection(sock);
    let buf = '';
    c.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        c.end();
        const r = JSON.parse(buf.slice(0, nl));
        if (!r.ok) reject(new Error(`${cmd} ${a.join(' ')}: ${r.error}`));
        else resolve(r);
      }
    });
    c.on('error', reject);
    c.write(JSON.stringify({ cmd, args: a }) + '\n');
  });
}

const tag = (i) => `CARD${String(i).padStart(8, '0')}`; // 12 characters
const entry = (i, status = 'Accepted') => ({
  idTag: tag(i),
  idTagInfo: { status, expiryDate: '2030-01-01T00:00:00Z', parentIdTag: `FLEET${i % 50}` },
});

// The list as evsed holds it, to build updates that keep it at N entries:
// a differential update of n entries has n/10 removals of present tags, as
// many new tags, and status changes of present tags; every tag once.
const present = Array.from({ length: N }, (_, i) => i);
let nextNew = N;
let seed = 12345;
const rand = (k) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % k;
};
function differential(n, round) {
  const used = new Set();
  const pick = () => {
    for (;;) {
      const j = rand(present.length);
      if (!used.has(present[j])) return j;
    }
  };
  const out = [];
  const removals = Math.floor(n / 10);
  for (let k = 0; k < removals; k++) {
    const j = pick();
    used.add(present[j]);
    out.push({ idTag: tag(present[j]) });
    present[j] = present[present.length - 1];
    present.pop();
  }
  for (let k = 0; k < removals; k++) {
    used.add(nextNew);
    out.push(entry(nextNew));
    present.push(nextNew++);
  }
  while (out.length < n) {
    const i = present[pick()];
    used.add(i);
    out.push(entry(i, round % 2 ? 'Blocked' : 'Accepted'));
  }
  return out;
}

const csmsServer = new RPCServer({ protocols: ['ocpp1.6'], strictMode: false });
let client = null;
let authorizes = 0;
csmsServer.on('client', (c) => {
  client = c;
  c.handle(({ method }) => {
    if (method === 'BootNotification')
      return { status: 'Accepted', interval: 3600, currentTime: new Date().toISOString() };
    if (method === 'Authorize') {
      authorizes++;
      return { idTagInfo: { status: 'Accepted' } };
    }
    if (method === 'StartTransaction') return { transactionId: 1, idTagInfo: { status: 'Accepted' } };
    return {};
  });
});
const http = await csmsServer.listen(0, '127.0.0.1');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evsed-locallist-bench-'));
const p = spawn(EVSED, [
  '--data-dir', tmp, '--set', 'clock=sim',
  '--set', `ocpp.url=ws://127.0.0.1:${http.address().port}/ocpp`, '--set', 'ocpp.id=BENCH',
  '--set', `LocalAuthListMaxLength=${N}`, '--set', `SendLocalListMaxLength=${N}`,
  '--set', 'LocalPreAuthorize=true', '--set', 'ocpp.call_timeout=600',
], { stdio: ['ignore', 'ignore', 'inherit'] });
const sock = path.join(tmp, 'evsed.sock');

async function call(action, payload) {
  const t = performance.now();
  const r = await client.call(action, payload, { callTimeoutMs: 60000 });
  return { r, ms: performance.now() - t };
}

const res = { full: [], diff: { 1: [], 100: [], 1000: [] }, mem: null, memBefore: null, bytes: 0 };
try {
  for (let i = 0; !client; i++) {
    if (i > 1000) fail('evsed did not connect');
    await new Promise((r) => setTimeout(r, 10));
  }
  await new Promise((r) => setTimeout(r, 200)); // boot and statuses
  res.memBefore = memOf(p.pid);
  let version = 0;
  const full = Array.from({ length: N }, (_, i) => entry(i));
  res.bytes = JSON.stringify([2, 'x', 'SendLocalList', { listVersion: 1, updateType: 'Full',
    localAuthorizationList: full }]).length;
  for (let run = 0; run < RUNS; run++) {
    const { r, ms } = await call('SendLocalList', { listVersion: ++version, updateType: 'Full',
      localAuthorizationList: full });
    if (r.status !== 'Accepted') fail(`Full: ${r.status}`);
    res.full.push(ms);
    log(`Full ${N}: ${ms.toFixed(1)} ms`);
  }
  res.mem = memOf(p.pid);
  for (const n of [1, 100, 1000]) {
    for (let run = 0; run < RUNS; run++) {
      const { r, ms } = await call('SendLocalList', { listVersion: ++version, updateType: 'Differential',
        localAuthorizationList: differential(n, run) });
      if (r.status !== 'Accepted') fail(`Differential ${n}: ${r.status}`);
      res.diff[n].push(ms);
    }
    log(`Differential ${n}: median ${median(res.diff[n]).toFixed(2)} ms`);
  }
  const v = (await client.call('GetLocalListVersion', {})).listVersion;
  if (v !== version) fail(`GetLocalListVersion ${v}, expected ${version}`);
  // A card of the list: started without Authorize.
  await ctl(sock, 'plug', ['1']);
  await ctl(sock, 'swipe', [tag(1)]);
  const c1 = (await ctl(sock, 'status')).data.connectors[0];
  if (c1.session === null) fail(`a card of the list did not start a session: ${c1.state}`);
  if (authorizes) fail('a card of the list was asked about');
  res.memAfter = memOf(p.pid);
} finally {
  const done = new Promise((r) => p.on('exit', (code) => r(code)));
  p.kill('SIGTERM');
  const code = await done;
  await csmsServer.close({ force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
  if (code !== 0) fail(`evsed exited ${code}`);
}

const fmt = (xs) => [median(xs), sorted(xs)[0], sorted(xs).at(-1)].map((x) => x.toFixed(2));
const rows = [
  [`SendLocalList Full, ${N} entries (${(res.bytes / 1e6).toFixed(2)} MB)`, 'ms', ...fmt(res.full)],
  ['SendLocalList Differential, 1 entry', 'ms', ...fmt(res.diff[1])],
  ['SendLocalList Differential, 100 entries', 'ms', ...fmt(res.diff[100])],
  ['SendLocalList Differential, 1,000 entries', 'ms', ...fmt(res.diff[1000])],
  ['RSS before any list', 'KiB', res.memBefore.rss, '', ''],
  [`RSS with ${N} entries, after the Full updates`, 'KiB', res.mem.rss, '', ''],
  ['peak RSS at the end', 'KiB', res.memAfter.hwm, '', ''],
];
if (markdown) {
  console.log('| figure | unit | median | min | max |');
  console.log('|---|---|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
} else {
  for (const r of rows) console.log(`${r[0]}: ${r[2]} ${r[1]}${r[3] !== '' ? ` (min ${r[3]}, max ${r[4]})` : ''}`);
}
