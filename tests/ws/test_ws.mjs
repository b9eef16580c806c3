// SPDX-License-Identifier: MIT
//
// The OCPP WebSocket transport (src/io/ocpp_ws.c) against real `ws` servers
// on free loopback ports, plain and TLS: the handshake it makes (path,
// subprotocol, Basic auth), frames both ways (large, fragmented, too large,
// binary), pings both ways, refusals (subprotocol, untrusted certificate,
// wrong host name, HTTP 401, nothing listening) and a clean end under ASan.
// The transport runs inside tests/ws/ws_probe.c (WS_PROBE), which prints one
// line per event. The test CA and server certificates are made with the
// `openssl` command into a temporary directory. It does not test reconnect
// policy (the owner's business) nor OCPP itself.

import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { test, after } from 'node:test';

// ESM ignores NODE_PATH; require() honours it (tests/ocpp/node_modules).
const require = createRequire(import.meta.url);
const { WebSocketServer } = require('ws');

const PROBE = process.env.WS_PROBE;
const OPENSSL = process.env.OPENSSL || 'openssl';
const TMP = process.env.EVSED_TMP || os.tmpdir();
assert.ok(PROBE, 'WS_PROBE must name the built ws_probe');

function fnv1a(buf) {
  let h = 2166136261;
  for (const b of buf) {
    h ^= b;
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** The frame ws_probe --send-size n sends. */
function pattern(n) {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = 97 + (i % 26);
  return b;
}

/** Run ws_probe to its end: {code, lines: [{t, text}], stdout, stderr}.
 * t is ms since spawn. It must end on its own within timeoutMs. */
function probe(args, { timeoutMs = 20000 } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const p = spawn(PROBE, [...args, '--timeout-ms', String(timeoutMs - 2000)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let partial = '';
    const lines = [];
    p.stdout.setEncoding('utf8');
    p.stderr.setEncoding('utf8');
    p.stdout.on('data', (d) => {
      stdout += d;
      partial += d;
      let i;
      while ((i = partial.indexOf('\n')) >= 0) {
        lines.push({ t: Date.now() - t0, text: partial.slice(0, i) });
        partial = partial.slice(i + 1);
      }
    });
    p.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`ws_probe ${args.join(' ')}: no exit within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    p.on('error', (e) => { clearTimeout(timer); reject(e); });
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      // Under ASan/UBSan a leak or a runtime error is a failure wherever it is.
      if (/Sanitizer|runtime error/.test(stderr)) {
        reject(new Error(`ws_probe ${args.join(' ')}: sanitizer report:\n${stderr}`));
        return;
      }
      resolve({ code, signal, lines, stdout, stderr, texts: lines.map((l) => l.text) });
    });
  });
}

/** The probe ended normally (exit 0) and printed exactly these event lines
 * (the final stats line aside). */
function expectEvents(r, expected, what) {
  const ev = r.texts.filter((t) => !t.startsWith('stats '));
  assert.equal(r.code, 0, `${what}: ws_probe exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  assert.equal(ev.length, expected.length, `${what}: events ${JSON.stringify(ev)}`);
  expected.forEach((e, i) => {
    if (e instanceof RegExp) assert.match(ev[i], e, `${what}: event ${i}`);
    else assert.equal(ev[i], e, `${what}: event ${i}`);
  });
}

function stats(r) {
  const s = r.texts.find((t) => t.startsWith('stats '));
  assert.ok(s, `no stats line: ${r.stdout}`);
  const m = /^stats sent=(\d+) received=(\d+)$/.exec(s);
  return { sent: Number(m[1]), received: Number(m[2]) };
}

function frameLine(buf) {
  const printable = buf.length <= 1024 && !buf.some((b) => b < 0x20);
  return `frame ${buf.length} ${fnv1a(buf)}${printable ? ' ' + buf.toString('utf8') : ''}`;
}

const servers = [];
after(async () => {
  for (const s of servers) await s.close();
});

/**
 * A `ws` server on 127.0.0.1 (or host) at a free port. opts: tls ({cert,
 * key}), protocols (handleProtocols), autoPong, verifyClient, host.
 * onConnection(ws, rec) runs for each client; rec collects what the server
 * saw: req, messages [{data, binary}], pings [ms since connection],
 * pongs [payload], close {code, reason} (and rec.closed resolves with it).
 */
async function server(opts = {}, onConnection = () => {}) {
  const base = opts.tls ? https.createServer(opts.tls) : http.createServer();
  const wss = new WebSocketServer({
    server: base,
    handleProtocols: opts.protocols ?? ((set) => (set.has('ocpp1.6') ? 'ocpp1.6' : false)),
    autoPong: opts.autoPong ?? true,
    verifyClient: opts.verifyClient,
    maxPayload: 1 << 24,
  });
  const conns = [];
  let tlsErrors = 0;
  base.on('tlsClientError', () => { tlsErrors++; });
  wss.on('connection', (ws, req) => {
    const t0 = Date.now();
    const rec = { ws, req, messages: [], pings: [], pongs: [] };
    rec.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        rec.close = { code, reason: reason.toString() };
        resolve(rec.close);
      });
    });
    ws.on('message', (data, binary) => rec.messages.push({ data: Buffer.from(data), binary }));
    ws.on('ping', () => rec.pings.push(Date.now() - t0));
    ws.on('pong', (d) => rec.pongs.push(d.toString()));
    conns.push(rec);
    onConnection(ws, rec);
  });
  await new Promise((resolve) => base.listen(0, opts.host ?? '127.0.0.1', resolve));
  const port = base.address().port;
  const host = opts.host === '::1' ? '[::1]' : '127.0.0.1';
  const s = {
    port,
    conns,
    get tlsErrors() { return tlsErrors; },
    url: (p = '/ocpp') => `${opts.tls ? 'wss' : 'ws'}://${host}:${port}${p}`,
    close: () => new Promise((resolve) => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      base.close(() => resolve());
    }),
  };
  servers.push(s);
  return s;
}

/** A port with nothing listening on it. */
async function freePort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/** A test CA, a second unrelated CA, a server certificate from the first
 * for 127.0.0.1 / localhost, and one from it for another name only. */
function makePki() {
  fs.mkdirSync(TMP, { recursive: true });
  const dir = fs.mkdtempSync(path.join(TMP, 'ws-pki-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const f = (n) => path.join(dir, n);
  const ssl = (...a) => {
    try {
      execFileSync(OPENSSL, a, { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      const why = e.code === 'ENOENT' ? 'not installed (apt-get install openssl)' : e.stderr;
      assert.fail(`${OPENSSL} ${a.join(' ')}: ${why}`);
    }
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  ssl('req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2',
    '-subj', '/CN=evsed test CA');
  ssl('req', '-x509', ...ec, '-keyout', f('other.key'), '-out', f('other-ca.pem'), '-days', '2',
    '-subj', '/CN=another CA');
  ssl('req', ...ec, '-keyout', f('srv.key'), '-out', f('srv.csr'), '-subj', '/CN=127.0.0.1');
  const sign = (ext, out) => {
    fs.writeFileSync(f('ext.cnf'), `${ext}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
    ssl('x509', '-req', '-in', f('srv.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'),
      '-CAcreateserial', '-out', f(out), '-days', '2', '-extfile', f('ext.cnf'));
  };
  sign('subjectAltName=IP:127.0.0.1,DNS:localhost', 'srv.pem');
  sign('subjectAltName=DNS:other.example', 'wrong-name.pem');
  return {
    ca: f('ca.pem'),
    otherCa: f('other-ca.pem'),
    good: { cert: fs.readFileSync(f('srv.pem')), key: fs.readFileSync(f('srv.key')) },
    wrongName: { cert: fs.readFileSync(f('wrong-name.pem')), key: fs.readFileSync(f('srv.key')) },
  };
}

const CP = ['--id', 'CP1'];

test('handshake: path <path>/<id>, subprotocol ocpp1.6, Basic auth CP1:secret', async () => {
  const s = await server({}, (ws) => ws.send('hello'));
  for (const p of ['/ocpp', '/ocpp/']) {
    const r = await probe(['--url', s.url(p), ...CP, '--password', 'secret', '--exit-after-frames', '1']);
    expectEvents(r, ['connected', 'frame 5 4f9f2cab hello'], p);
    assert.doesNotMatch(r.stdout + r.stderr, /secret/, 'the password is never printed');
  }
  assert.equal(s.conns.length, 2);
  for (const c of s.conns) {
    assert.equal(c.req.url, '/ocpp/CP1');
    assert.equal(c.req.headers['sec-websocket-protocol'], 'ocpp1.6');
    assert.equal(c.ws.protocol, 'ocpp1.6');
    assert.equal(c.req.headers.authorization, 'Basic ' + Buffer.from('CP1:secret').toString('base64'));
    assert.equal(c.req.headers.host, `127.0.0.1:${s.port}`);
  }
  // No password: no Authorization header. The id is percent-encoded in the
  // path; an URL without a path gets /<id>.
  const r = await probe(['--url', s.url(''), '--id', 'CP 1/ü', '--exit-after-frames', '1']);
  expectEvents(r, ['connected', /^frame 5 /], 'no password');
  assert.equal(s.conns[2].req.url, '/CP%201%2F%C3%BC');
  assert.equal(s.conns[2].req.headers.authorization, undefined);
});

test('frames round trip in order, UTF-8 intact; byte counters count payload', async () => {
  const s = await server({}, (ws) => ws.on('message', (d) => ws.send(`ack:${d}`)));
  const sent = ['[2,"1","Heartbeat",{}]', '[2,"2","DataTransfer",{"vendorId":"é€😀"}]', ''];
  const args = ['--url', s.url(), ...CP, '--exit-after-frames', '3'];
  for (const f of sent) args.push('--send', f);
  const r = await probe(args);
  const back = sent.map((f) => Buffer.from(`ack:${f}`));
  expectEvents(r, ['connected', ...back.map(frameLine)], 'round trip');
  assert.deepEqual(s.conns[0].messages.map((m) => m.data.toString()), sent);
  const st = stats(r);
  assert.equal(st.sent, sent.reduce((n, f) => n + Buffer.byteLength(f), 0));
  assert.equal(st.received, back.reduce((n, b) => n + b.length, 0));
});

test('a 100 KB frame arrives whole, in one piece or in fragments, both ways', async () => {
  const big = pattern(100 * 1024);
  const s = await server({}, (ws) => {
    ws.send(big, { binary: false });
    // The same bytes as one message in three fragments.
    ws.send(big.subarray(0, 1000), { binary: false, fin: false });
    ws.send(big.subarray(1000, 60000), { fin: false });
    ws.send(big.subarray(60000), { fin: true });
  });
  const r = await probe(['--url', s.url(), ...CP, '--frame-max', String(big.length),
    '--send-size', String(big.length), '--exit-after-frames', '2']);
  expectEvents(r, ['connected', frameLine(big), frameLine(big)], '100 KB');
  const got = s.conns[0].messages;
  assert.equal(got.length, 1);
  assert.equal(got[0].binary, false);
  assert.ok(got[0].data.equals(big), 'the server got the 100 KB frame intact');
  assert.deepEqual(stats(r), { sent: big.length, received: 2 * big.length });
});

test('the send queue holds at most 4 MiB; what it took arrives in order', async () => {
  const mib = 1024 * 1024;
  const s = await server({}, (ws, rec) => ws.on('message', () => {
    if (rec.messages.length === 4) ws.send('got 4');
  }));
  // Five 1 MiB frames queued from the connected callback, before anything
  // could be written: the fifth does not fit.
  const r = await probe(['--url', s.url(), ...CP, '--send-size', String(mib), '--send-count', '5',
    '--exit-after-frames', '1']);
  expectEvents(r, ['connected', 'send-failed send queue full (4194304 bytes)', /^frame 5 \w+ got 4$/], 'queue');
  const want = pattern(mib);
  assert.equal(s.conns[0].messages.length, 4);
  for (const m of s.conns[0].messages) assert.ok(m.data.equals(want));
  assert.equal(stats(r).sent, 4 * mib);
});

test('a frame above frame_max closes the link (1009), one at frame_max does not', async () => {
  const at = Buffer.alloc(1000, 'a');
  const cases = [
    ['one frame', (ws) => { ws.send(at, { binary: false }); ws.send(Buffer.alloc(1001, 'b'), { binary: false }); }],
    ['fragments', (ws) => {
      ws.send(at, { binary: false });
      ws.send(Buffer.alloc(600, 'c'), { binary: false, fin: false });
      ws.send(Buffer.alloc(600, 'c'), { fin: true });
    }],
  ];
  for (const [what, onConn] of cases) {
    const s = await server({}, onConn);
    // --run-ms: the probe lingers so that lws can send its close frame.
    const r = await probe(['--url', s.url(), ...CP, '--frame-max', '1000', '--run-ms', '500']);
    expectEvents(r, ['connected', frameLine(at), 'disconnected frame larger than 1000 bytes'], what);
    const close = await s.conns[0].closed;
    assert.equal(close.code, 1009, `${what}: close code`);
  }
});

test('a binary frame closes the link (1003)', async () => {
  const s = await server({}, (ws) => ws.send(Buffer.from([1, 2, 3])));
  const r = await probe(['--url', s.url(), ...CP, '--run-ms', '500']);
  expectEvents(r, ['connected', 'disconnected binary frame'], 'binary');
  assert.equal((await s.conns[0].closed).code, 1003);
});

test("the server's ping is answered", async () => {
  const s = await server({}, (ws, rec) => {
    ws.ping('p1');
    ws.on('pong', () => ws.send(`pongs:${rec.pongs.join(',')}`));
  });
  const r = await probe(['--url', s.url(), ...CP, '--exit-after-frames', '1']);
  expectEvents(r, ['connected', /^frame \d+ \w+ pongs:p1$/], 'server ping');
});

test('pings every ping_interval_s (1 s), answered: the link stays up', async () => {
  const s = await server();
  const r = await probe(['--url', s.url(), ...CP, '--ping', '1', '--run-ms', '3600']);
  expectEvents(r, ['connected'], 'pings');
  const pings = s.conns[0].pings;
  assert.ok(pings.length >= 3 && pings.length <= 4, `pings at ${pings} ms`);
  let last = 0;
  for (const t of pings) {
    assert.ok(t - last >= 700 && t - last <= 1600, `ping gaps of about 1 s: ${pings}`);
    last = t;
  }
});

test('ocpp_ws_set_ping changes the interval on a live link', async () => {
  const s = await server();
  // 60 s at connect, 1 s from the connected callback on.
  const r = await probe(['--url', s.url(), ...CP, '--ping', '60', '--set-ping', '1', '--run-ms', '2600']);
  expectEvents(r, ['connected'], 'set_ping');
  assert.ok(s.conns[0].pings.length >= 2, `pings at ${s.conns[0].pings} ms`);
  // And 0 turns them off.
  const s2 = await server();
  const r2 = await probe(['--url', s2.url(), ...CP, '--ping', '1', '--set-ping', '0', '--run-ms', '2300']);
  expectEvents(r2, ['connected'], 'set_ping 0');
  assert.equal(s2.conns[0].pings.length, 0);
});

test('no answer to a ping within one more interval closes the link', async () => {
  const s = await server({ autoPong: false });
  const r = await probe(['--url', s.url(), ...CP, '--ping', '1']);
  expectEvents(r, ['connected', 'disconnected no answer to ping'], 'silent server');
  const dt = r.lines[1].t - r.lines[0].t;
  assert.ok(dt >= 1500 && dt <= 3500, `closed ${dt} ms after connecting (expected about 2 s)`);
  assert.ok(s.conns[0].pings.length >= 1);
  await s.conns[0].closed;
});

test('a server that does not accept subprotocol ocpp1.6 is refused', async () => {
  for (const [what, choice, re] of [
    ['no subprotocol', () => false, /^disconnected server did not accept subprotocol ocpp1\.6 \(no Sec-WebSocket-Protocol\)$/],
    ['another subprotocol', () => 'ocpp2.0.1', /^disconnected server did not accept subprotocol ocpp1\.6/],
  ]) {
    const s = await server({ protocols: choice });
    const r = await probe(['--url', s.url(), ...CP]);
    expectEvents(r, [re], what);
    assert.equal(s.conns[0].req.headers['sec-websocket-protocol'], 'ocpp1.6');
  }
});

test('HTTP 401 on the upgrade is reported as a refused id or password', async () => {
  const s = await server({ verifyClient: (info, cb) => cb(false, 401, 'Unauthorized') });
  const r = await probe(['--url', s.url(), ...CP, '--password', 'wrong']);
  expectEvents(r, ['disconnected server answered HTTP 401 instead of switching to WebSocket (id or password refused)'], '401');
});

test('wss: the server certificate is verified against ca_file, host name included', async () => {
  const pki = makePki();
  const s = await server({ tls: pki.good }, (ws) => ws.on('message', (d) => ws.send(`ack:${d}`)));
  for (const url of [s.url(), `wss://localhost:${s.port}/ocpp`]) {
    const r = await probe(['--url', url, ...CP, '--ca', pki.ca, '--password', 'secret',
      '--send', 'tls', '--exit-after-frames', '1']);
    expectEvents(r, ['connected', /^frame 7 \w+ ack:tls$/], url);
  }
  assert.equal(s.conns.length, 2);
  assert.equal(s.conns[0].req.headers.authorization, 'Basic ' + Buffer.from('CP1:secret').toString('base64'));

  // Signed by a CA that ca_file does not hold.
  const r = await probe(['--url', s.url(), ...CP, '--ca', pki.otherCa]);
  expectEvents(r, [/^disconnected TLS: server certificate not trusted \(not signed by a CA in .*other-ca\.pem, expired, or not issued for 127\.0\.0\.1\)$/], 'other CA');

  // Signed by the right CA, for another name.
  const w = await server({ tls: pki.wrongName });
  const r2 = await probe(['--url', w.url(), ...CP, '--ca', pki.ca]);
  expectEvents(r2, [/^disconnected TLS: server certificate not trusted/], 'wrong name');
  assert.equal(s.conns.length, 2, 'no refused connection reached the WebSocket server');
  assert.equal(w.conns.length, 0);

  // A plain server behind a wss URL.
  const plain = await server();
  const r3 = await probe(['--url', `wss://127.0.0.1:${plain.port}/ocpp`, ...CP, '--ca', pki.ca]);
  expectEvents(r3, [/^disconnected TLS: /], 'plain server');

  // A CA file that cannot be read is refused when the transport is made.
  const r4 = await probe(['--url', s.url(), ...CP, '--ca', pki.ca + '.missing']);
  assert.equal(r4.code, 2);
  assert.match(r4.stdout, /^error ca_file .*\.missing: cannot read$/m);
});

test('nothing listening: disconnected promptly, once per attempt', async () => {
  const port = await freePort();
  const r = await probe(['--url', `ws://127.0.0.1:${port}/ocpp`, ...CP, '--attempts', '3']);
  expectEvents(r, Array(3).fill(/^disconnected cannot connect/), 'refused');
  assert.ok(r.lines[2].t < 2000, `three refusals took ${r.lines[2].t} ms`);
});

test('a server that never answers the upgrade: disconnected by the handshake timeout', async () => {
  const sockets = [];
  const silent = net.createServer((c) => sockets.push(c));
  await new Promise((r) => silent.listen(0, '127.0.0.1', r));
  servers.push({
    close: () => new Promise((r) => {
      sockets.forEach((c) => c.destroy());
      silent.close(r);
    }),
  });
  const url = `ws://127.0.0.1:${silent.address().port}/ocpp`;
  const r = await probe(['--url', url, ...CP]);
  expectEvents(r, ['disconnected cannot connect: no answer to the WebSocket upgrade'], 'silent');
  assert.ok(r.lines[0].t < 12000, `reported after ${r.lines[0].t} ms`);
  // ocpp_ws_close() while connecting: reported once, at once.
  const r2 = await probe(['--url', url, ...CP, '--close-after-ms', '200', '--run-ms', '6000']);
  expectEvents(r2, ['disconnected closed by the charge point'], 'close while connecting');
  assert.ok(r2.lines[0].t < 1000, `reported after ${r2.lines[0].t} ms`);
  // ocpp_ws_free() while connecting, plain and TLS: nothing reported, nothing leaked.
  for (const u of [url, url.replace('ws:', 'wss:')]) {
    const r3 = await probe(['--url', u, ...CP, '--free-after-ms', '200']);
    expectEvents(r3, ['freed'], `free while connecting to ${u}`);
  }
});

test("the server's close code and reason are reported", async () => {
  const s = await server({}, (ws) => ws.close(4001, 'go away'));
  const r = await probe(['--url', s.url(), ...CP]);
  expectEvents(r, ['connected', 'disconnected server closed the connection (4001 go away)'], 'close');
});

test('ocpp_ws_close sends a normal close (1000)', async () => {
  const s = await server({}, (ws) => ws.send('bye'));
  const r = await probe(['--url', s.url(), ...CP, '--close-after-frames', '1']);
  expectEvents(r, ['connected', /^frame 3 /, 'disconnected closed by the charge point'], 'close');
  assert.equal((await s.conns[0].closed).code, 1000);
});

test('ocpp_ws_free on a live link: no callback afterwards, the link is closed', async () => {
  const s = await server({}, (ws) => {
    ws.send('one');
    setTimeout(() => { if (ws.readyState === 1) ws.send('late'); }, 100);
  });
  const r = await probe(['--url', s.url(), ...CP, '--free-after-frames', '1']);
  expectEvents(r, ['connected', /^frame 3 \w+ one$/, 'freed'], 'free');
  await s.conns[0].closed;
  // Also right after connected(), before anything arrived.
  const quiet = await server();
  const r2 = await probe(['--url', quiet.url(), ...CP, '--free-on-connect']);
  expectEvents(r2, ['connected', 'freed'], 'free on connect');
  await quiet.conns[0].closed;
});

test('IPv6 literal in brackets', async (t) => {
  let s;
  try {
    s = await server({ host: '::1' }, (ws) => ws.send('v6'));
  } catch (e) {
    t.skip(`no IPv6 loopback here: ${e.code}`);
    return;
  }
  const r = await probe(['--url', s.url(), ...CP, '--exit-after-frames', '1']);
  expectEvents(r, ['connected', /^frame 2 \w+ v6$/], 'ipv6');
  assert.equal(s.conns[0].req.headers.host, `[::1]:${s.port}`);
});

test('bad URLs and settings are refused when the transport is made', async () => {
  const cases = [
    [['--url', 'http://127.0.0.1/ocpp', ...CP], /expected ws:\/\/host/],
    [['--url', 'ws://', ...CP], /no host name/],
    [['--url', 'ws://h:0/', ...CP], /bad port/],
    [['--url', 'ws://h:65536/', ...CP], /bad port/],
    [['--url', 'ws://h:80x/', ...CP], /unexpected 'x'/],
    [['--url', 'ws://[::1/', ...CP], /bad IPv6 address/],
    [['--url', 'wss://[::1]:8443/', ...CP], /IPv6 address cannot be verified/],
    [['--url', 'ws://user@h/', ...CP], /unexpected '@'/],
    [['--url', 'ws://h/ocpp?x=1', ...CP], /may not contain/],
    [['--url', 'ws://h/ocpp', '--id', 'a:b', '--password', 'p'], /contains ':'/],
    [['--url', 'ws://h/ocpp', '--id', ''], /id must be/],
    [['--url', 'ws://h/ocpp', ...CP, '--frame-max', '0'], /frame_max/],
  ];
  for (const [args, re] of cases) {
    const r = await probe(args);
    assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code} ${r.stdout}`);
    assert.match(r.stdout, /^error /m);
    assert.match(r.stdout, re, args.join(' '));
  }
});
