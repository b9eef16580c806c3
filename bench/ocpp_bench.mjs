// SPDX-License-Identifier: MIT
//
// OCPP figures of design.md's performance targets, measured on the real evsed
// against a local ocpp-rpc CSMS (strict mode) on loopback:
//   1. start to BootNotification received by the CSMS (ms, per run);
//   2. RSS / peak RSS with the CSMS connected and 2 connectors charging (web UI
//      on, and again with it off);
//   3. RemoteStartTransaction (EV plugged) -> StartTransaction.req at the CSMS
//      (ms, median and p99 over many sessions);
//   4. 10,000 queued transaction messages replayed after reconnect: time from
//      the connection to the last one, and evsed's peak RSS.
// Usage: node bench/ocpp_bench.mjs EVSED [RUNS]   (needs tests/ocpp/node_modules)
// Prints medians; --markdown prints the rows of bench/README.md's OCPP table.

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
  console.error('usage: node bench/ocpp_bench.mjs [--markdown] EVSED [RUNS]');
  process.exit(2);
}
const EVSED = path.resolve(pos[0]);
const RUNS = Number(pos[1] || 5);
const log = markdown ? (...a) => console.error(...a) : (...a) => console.log(...a);

function fail(msg) {
  console.error(`ocpp_bench: ${msg}`);
  process.exit(1);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))];
}

function memOf(pid) {
  const t = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (k) => Number((t.match(new RegExp(`${k}:\\s+(\\d+)`)) || [])[1]);
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

// A CSMS on a free port that records when each action arrives.
async function startCsms(port = 0) {
  const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
  const events = [];
  const waiters = [];
  let client = null;
  let txid = 0;
  let strictFailures = 0;
  server.on('client', (c) => {
    client = c;
    c.on('strictValidationFailure', () => strictFailures++);
    c.handle(({ method, params }) => {
      const e = { method, params, t: performance.now() };
      events.push(e);
      for (const w of waiters.splice(0)) w();
      switch (method) {
        case 'BootNotification':
          return { status: 'Accepted', interval: 3600, currentTime: new Date().toISOString() };
        case 'Heartbeat':
          return { currentTime: new Date().toISOString() };
        case 'Authorize':
          return { idTagInfo: { status: 'Accepted' } };
        case 'StartTransaction':
          return { transactionId: ++txid, idTagInfo: { status: 'Accepted' } };
        case 'StopTransaction':
          return { idTagInfo: { status: 'Accepted' } };
        default:
          return {};
      }
    });
  });
  const http = await server.listen(port, '127.0.0.1');
  return {
    port: http.address().port,
    events,
    get client() {
      return client;
    },
    get strictFailures() {
      return strictFailures;
    },
    async waitFor(pred, ms = 10000) {
      const end = performance.now() + ms;
      for (;;) {
        const e = events.find(pred);
        if (e) return e;
        if (performance.now() > end) fail('timed out waiting for a message at the CSMS');
        await new Promise((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
    },
    async close() {
      await server.close({ force: true });
    },
  };
}

function ctl(sock, cmd, args = []) {
  return new Promise((resolve, reject) => {
    const c = net.createConnection(sock);
    let buf = '';
    c.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        c.end();
        const a = JSON.parse(buf.slice(0, nl));
        if (!a.ok) reject(new Error(`${cmd} ${args.join(' ')}: ${a.error}`));
        else resolve(a);
      }
    });
    c.on('error', reject);
    c.write(JSON.stringify({ cmd, args }) + '\n');
  });
}

async function startEvsed(dir, port, extra = []) {
  const t0 = performance.now();
  const p = spawn(
    EVSED,
    [
      '--data-dir', dir, '--set', 'clock=sim',
      '--set', `ocpp.url=ws://127.0.0.1:${port}/ocpp`, '--set', 'ocpp.id=BENCH',
      '--set', 'ocpp.reconnect_max=1', ...extra,
    ],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  const sock = path.join(dir, 'evsed.sock');
  for (let i = 0; ; i++) {
    try {
      await ctl(sock, 'status');
      break;
    } catch {
      if (i > 5000) fail('evsed did not start');
      await new Promise((r) => setTimeout(r, 1));
    }
  }
  return { p, sock, t0 };
}

async function stopEvsed(e) {
  const done = new Promise((r) => e.p.on('exit', (code) => r(code)));
  e.p.kill('SIGTERM');
  const code = await done;
  if (code !== 0) fail(`evsed exited ${code}`);
}

/** Both connectors charging (RemoteStart), a simulated minute later. */
async function twoCharging(e, csms) {
  for (const c of ['1', '2']) {
    await ctl(e.sock, 'plug', [c]);
    const r = await csms.client.call('RemoteStartTransaction', { connectorId: Number(c), idTag: `APP${c}` });
    if (r.status !== 'Accepted') fail(`RemoteStart on ${c}: ${r.status}`);
    await ctl(e.sock, 'ev', [c, 'charge']);
  }
  await ctl(e.sock, 'time', ['advance', '60']);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evsed-ocpp-bench-'));
const results = { boot: [], rss: [], hwm: [], rssNoWeb: [], remote: [], replay: [], replayHwm: [] };

try {
  for (let run = 0; run < RUNS; run++) {
    // 1-3: start, boot, memory, RemoteStart latency.
    const csms = await startCsms();
    const dir = path.join(tmp, `run${run}`);
    const e = await startEvsed(dir, csms.port);
    const boot = await csms.waitFor((x) => x.method === 'BootNotification');
    results.boot.push(boot.t - e.t0);
    await csms.waitFor((x) => x.method === 'StatusNotification' && x.params.connectorId === 2);

    await twoCharging(e, csms);
    const m = memOf(e.p.pid);
    results.rss.push(m.rss);
    results.hwm.push(m.hwm);
    for (const c of ['1', '2']) await ctl(e.sock, 'unplug', [c]);

    // RemoteStart -> StartTransaction.req, EV plugged, many sessions.
    for (let i = 0; i < 40; i++) {
      await ctl(e.sock, 'plug', ['1']);
      const n = csms.events.length;
      const t = performance.now();
      const r = await csms.client.call('RemoteStartTransaction', { connectorId: 1, idTag: 'APP1' });
      if (r.status !== 'Accepted') fail(`RemoteStart: ${r.status}`);
      const st = await csms.waitFor((x, j) => j >= n && x.method === 'StartTransaction');
      results.remote.push(st.t - t);
      await ctl(e.sock, 'unplug', ['1']);
      await csms.waitFor((x, j) => j >= n && x.method === 'StopTransaction');
    }
    await stopEvsed(e);
    if (csms.strictFailures) fail(`${csms.strictFailures} frames failed strict validation`);
    await csms.close();
  }

  // 2b: the same memory figure with the web UI off (its TLS server is most of
  // the difference: OpenSSL 3's initialisation).
  for (let run = 0; run < RUNS; run++) {
    const csms = await startCsms();
    const e = await startEvsed(path.join(tmp, `noweb${run}`), csms.port, ['--set', 'web.listen=off']);
    await csms.waitFor((x) => x.method === 'StatusNotification' && x.params.connectorId === 2);
    await twoCharging(e, csms);
    results.rssNoWeb.push(memOf(e.p.pid).rss);
    await stopEvsed(e);
    await csms.close();
  }

  // 4: 10,000 queued transaction messages replayed.
  for (let run = 0; run < Math.min(RUNS, 3); run++) {
    const dir = path.join(tmp, `replay${run}`);
    const nobody = await startCsms();
    const port = nobody.port;
    await nobody.close(); // nothing listens there now
    const e = await startEvsed(dir, port, ['--set', 'MeterValueSampleInterval=1', '--set', 'auth.required=false']);
    await ctl(e.sock, 'plug', ['1']);
    await ctl(e.sock, 'ev', ['1', 'charge']);
    // 9,998 sampled MeterValues + StartTransaction + StopTransaction.
    await ctl(e.sock, 'time', ['advance', '9998']);
    await ctl(e.sock, 'unplug', ['1']);
    const st = await ctl(e.sock, 'status');
    const queued = st.data.ocpp.queued_messages;
    if (queued < 10000) fail(`only ${queued} messages queued`);
    const csms = await startCsms(port);
    const t0 = performance.now();
    const last = await csms.waitFor((x) => x.method === 'StopTransaction', 120000);
    const first = csms.events.find((x) => x.method === 'BootNotification');
    results.replay.push(last.t - (first ? first.t : t0));
    results.replayHwm.push(memOf(e.p.pid).hwm);
    const n = csms.events.filter((x) => x.method === 'MeterValues').length;
    if (n < 9998) fail(`only ${n} MeterValues arrived`);
    await stopEvsed(e);
    if (csms.strictFailures) fail(`${csms.strictFailures} frames failed strict validation`);
    await csms.close();
    log(`replay run ${run + 1}: ${queued} messages in ${(results.replay.at(-1) / 1000).toFixed(2)} s, peak RSS ${results.replayHwm.at(-1)} KiB`);
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}

const rows = [
  ['start to BootNotification at the CSMS', 'ms', '< 100', median(results.boot).toFixed(1)],
  ['RSS, CSMS connected, 2 connectors charging', 'KiB', '<= 8192', median(results.rss)],
  ['peak RSS, same moment', 'KiB', '-', median(results.hwm)],
  ['RSS, same, web UI off', 'KiB', '-', median(results.rssNoWeb)],
  ['RemoteStartTransaction -> StartTransaction.req, median', 'ms', '< 5', median(results.remote).toFixed(2)],
  ['RemoteStartTransaction -> StartTransaction.req, p99', 'ms', '-', pct(results.remote, 99).toFixed(2)],
  ['10,000 queued messages replayed after reconnect', 's', '< 10', (median(results.replay) / 1000).toFixed(2)],
  ['peak RSS after the replay', 'KiB', '-', median(results.replayHwm)],
];
if (markdown) {
  console.log('| figure | unit | target | median |');
  console.log('|---|---|---|---:|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
} else {
  for (const r of rows) console.log(`${r[0]}: ${r[3]} ${r[1]} (target ${r[2]})`);
}
