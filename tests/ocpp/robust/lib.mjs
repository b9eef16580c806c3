// SPDX-License-Identifier: MIT
//
// Helpers of the OCPP robustness tests (power loss, malformed frames, wss):
// a test runner with a time bound that always kills evsed and closes the
// servers, a recording ocpp-rpc CSMS in strict mode (ws or wss), a raw `ws`
// CSMS that sends arbitrary bytes, a seeded PRNG, free ports and polling.
// evsed itself is driven with the Daemon class of the integration tests
// (tests/integration/lib.mjs). Packages come from tests/ocpp/node_modules.

import fs from 'node:fs';
import net from 'node:net';
import { createRequire } from 'node:module';
import { assert, Daemon, exec, freshDir, EVSED, EVSECTL, TMP } from '../../integration/lib.mjs';

export { assert, Daemon, exec, EVSED, EVSECTL, TMP };

// ESM ignores NODE_PATH: resolve from tests/ocpp (its node_modules), which is
// also what NODE_PATH names when CTest runs us.
const require = createRequire(new URL('../package.json', import.meta.url));
export const { RPCServer, createRPCError } = require('ocpp-rpc');
export const { WebSocketServer } = require('ws');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Seeded PRNG (mulberry32): the same seed gives the same run. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** integer in [lo, hi] */
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
  };
}

/** The seed: EVSED_SEED if set (to replay a run), else a fresh one. */
export function seedFromEnv() {
  const s = process.env.EVSED_SEED;
  if (s !== undefined && s !== '') {
    const n = Number(s);
    assert.ok(Number.isInteger(n) && n >= 0, `EVSED_SEED must be a non-negative integer: ${s}`);
    return n >>> 0;
  }
  return (Date.now() ^ (process.pid << 16)) >>> 0;
}

/** A loopback TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Poll fn() (sync or async) until it returns a truthy value; that value.
 * Fails naming `what` after ms. */
export async function waitFor(fn, ms, what, every = 25) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(every);
  }
}

/** The evsed arguments shared by these tests: simulated clock from `start`,
 * a CSMS at `url` as CP1, quick reconnection. */
export function evsedArgs({ url, start = '2030-01-01T00:00:00Z', extra = [] }) {
  return [
    '--set', 'clock=sim', '--set', `clock.sim_start=${start}`, '--set', 'web.listen=off',
    '--set', `ocpp.url=${url}`, '--set', 'ocpp.id=CP1',
    '--set', 'ocpp.reconnect_max=2',
    ...extra,
  ];
}

/**
 * One test. fn(t) gets:
 *   t.dir                   a fresh scratch directory (removed on success)
 *   t.log(msg)              a progress line
 *   t.start(args, {dir})    start evsed (EVSED_TRACE_OCPP on), wait until it answers
 *   t.defer(fn)             run fn at the end, pass or fail (close servers)
 *   t.note(fn)              fn() returns text printed on failure (frame logs)
 * The test fails if it takes longer than timeoutMs. EVSED_TEST_VERBOSE=1 prints
 * the daemons' logs on success too. Every evsed still running
 * at the end is killed; every deferred function runs.
 */
export function test(name, fn, { timeoutMs = 120000 } = {}) {
  process.env.EVSED_TRACE_OCPP = '1';
  const daemons = [];
  const deferred = [];
  const notes = [];
  const dir = freshDir(`robust-${name}`);
  const t = {
    dir,
    log: (msg) => console.log(`[${name}] ${msg}`),
    async start(args, { dir: d = dir, ready = true } = {}) {
      assert.ok(EVSED && EVSECTL, 'EVSED and EVSECTL must name the built binaries');
      const dm = new Daemon(d, args);
      daemons.push(dm);
      dm.start();
      if (ready) await dm.waitReady();
      return dm;
    },
    defer: (f) => deferred.push(f),
    note: (f) => notes.push(f),
  };
  const finish = async () => {
    for (const d of daemons) await d.cleanup();
    for (const f of deferred.reverse()) {
      try { await f(); } catch (e) { console.error(`[${name}] cleanup: ${e.message}`); }
    }
  };
  const report = (err) => {
    console.error(`[${name}] FAIL: ${err && (err.stack || err)}`);
    for (const f of notes) {
      try { console.error(f()); } catch { /* best effort */ }
    }
    // The last few daemons' logs (a power-loss run starts dozens).
    daemons.forEach((d, i) => {
      const head = `--- evsed #${i + 1} (${d.args.join(' ')}), exit ${JSON.stringify(d.exited)}`;
      if (i < daemons.length - 3) return console.error(head);
      const tail = d.stderr.split('\n').slice(-60).join('\n');
      console.error(`${head}, stderr tail:\n${tail}`);
    });
    console.error(`(scratch directory kept: ${dir})`);
  };
  const guard = setTimeout(async () => {
    report(new Error(`the test took longer than ${timeoutMs} ms`));
    await finish();
    process.exit(1);
  }, timeoutMs);
  (async () => {
    let failed = null;
    try {
      await fn(t);
    } catch (e) {
      failed = e;
    }
    if (failed) report(failed);
    else if (process.env.EVSED_TEST_VERBOSE)
      daemons.forEach((d, i) => console.log(`--- evsed #${i + 1} stderr:\n${d.stderr}`));
    await finish();
    clearTimeout(guard);
    if (failed) process.exit(1);
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`[${name}] PASS`);
    process.exit(0);
  })();
}

/**
 * A CSMS made with ocpp-rpc in strict mode, recording every call it gets.
 *   handlers: {Method: ({params, client, csms}) => result} over the defaults
 *   server: an http(s).Server to attach to (handleUpgrade); else its own
 *   onAuth(handshake): called for each connection attempt before it is accepted
 * .calls: [{method, params, messageId, identity, conn, at}] in arrival order;
 * .failures: strict validation failures and bad messages (must stay empty);
 * .clients: connections accepted so far (.length counts them).
 */
export class Csms {
  constructor({ handlers = {}, onAuth } = {}) {
    this.calls = [];
    this.failures = [];
    this.clients = [];
    this.handshakes = [];
    this.handlers = handlers;
    this.rpc = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
    this.rpc.auth((accept, reject, handshake) => {
      this.handshakes.push({
        identity: handshake.identity,
        password: handshake.password ? handshake.password.toString('utf8') : undefined,
        authorization: handshake.headers.authorization,
        protocols: [...handshake.protocols],
        endpoint: handshake.endpoint,
      });
      if (onAuth) onAuth(handshake);
      accept({}, 'ocpp1.6');
    });
    this.rpc.on('client', (client) => this.#client(client));
  }

  #client(client) {
    const conn = this.clients.length;
    this.clients.push(client);
    client.on('strictValidationFailure', (e) =>
      this.failures.push(`strict validation failure (${e.outbound ? 'outbound' : 'inbound'} ${e.method}): ${e.error && e.error.message} ${JSON.stringify(e.params)} ${JSON.stringify(e.result)}`));
    client.on('badMessage', (e) =>
      this.failures.push(`bad message: ${e.error && e.error.message}: ${e.buffer && e.buffer.toString().slice(0, 300)}`));
    client.handle(({ method, params, messageId }) => {
      this.calls.push({ method, params, messageId, identity: client.identity, conn, at: Date.now() });
      const h = this.handlers[method] || Csms.defaults[method];
      if (!h) throw createRPCError('NotImplemented', `test CSMS has no ${method}`);
      return h({ params, client, csms: this });
    });
  }

  /** Listen on host:port (0: any free port); the port. */
  async listen(port = 0, host = '127.0.0.1') {
    this.http = await this.rpc.listen(port, host);
    this.port = this.http.address().port;
    return this.port;
  }

  /** Serve the upgrades of an existing http(s) server. */
  attach(server) {
    server.on('upgrade', this.rpc.handleUpgrade);
  }

  of(method) { return this.calls.filter((c) => c.method === method); }

  async close() {
    await this.rpc.close({ force: true });
  }

  log() {
    return `--- CSMS: ${this.clients.length} connection(s), ${this.calls.length} call(s), failures ${JSON.stringify(this.failures)}\n` +
      this.calls.slice(-80).map((c) => `  #${c.conn} ${c.method} ${JSON.stringify(c.params)}`).join('\n');
  }
}

const nowIso = () => new Date().toISOString();

Csms.defaults = {
  BootNotification: () => ({ status: 'Accepted', interval: 300, currentTime: nowIso() }),
  Heartbeat: () => ({ currentTime: nowIso() }),
  StatusNotification: () => ({}),
  Authorize: () => ({ idTagInfo: { status: 'Accepted' } }),
  StartTransaction: ({ csms }) => {
    csms.nextTx = (csms.nextTx || 1000) + 7;
    return { transactionId: csms.nextTx, idTagInfo: { status: 'Accepted' } };
  },
  MeterValues: () => ({}),
  StopTransaction: () => ({ idTagInfo: { status: 'Accepted' } }),
  DataTransfer: () => ({ status: 'UnknownVendorId' }),
  SecurityEventNotification: () => ({}),
};

/**
 * A CSMS on a raw `ws` server (subprotocol ocpp1.6) that can send anything.
 * It answers evsed's CALLs itself (answer(frame) may override: return a
 * frame array to send, or undefined for the default) and records:
 *   .frames   every frame received [{conn, text, json (or undefined), at}]
 *   .closes   [{conn, code, reason}]
 * send(text) sends raw text on the newest connection.
 */
export class RawCsms {
  constructor({ answer } = {}) {
    this.frames = [];
    this.closes = [];
    this.sockets = [];
    this.answer = answer;
    this.nextTx = 4240;
  }

  async listen() {
    this.wss = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      maxPayload: 4 * 1024 * 1024,
      handleProtocols: (protocols) => (protocols.has('ocpp1.6') ? 'ocpp1.6' : false),
    });
    await new Promise((resolve, reject) => {
      this.wss.once('listening', resolve);
      this.wss.once('error', reject);
    });
    this.port = this.wss.address().port;
    this.wss.on('connection', (ws, req) => {
      const conn = this.sockets.length;
      this.sockets.push(ws);
      ws.path = req.url;
      ws.on('message', (data, isBinary) => this.#message(conn, ws, data, isBinary));
      ws.on('close', (code, reason) => this.closes.push({ conn, code, reason: reason.toString() }));
      ws.on('error', () => {});
    });
    return this.port;
  }

  #message(conn, ws, data, isBinary) {
    const text = data.toString('utf8');
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    this.frames.push({ conn, text, json, binary: isBinary, at: Date.now() });
    if (!Array.isArray(json) || json[0] !== 2) return;
    const [, id, action, payload] = json;
    let reply = this.answer ? this.answer({ id, action, payload, conn }) : undefined;
    if (reply === null) return; // stay silent
    if (reply === undefined) reply = [3, id, this.#defaultResult(action)];
    ws.send(JSON.stringify(reply));
  }

  #defaultResult(action) {
    switch (action) {
      case 'BootNotification': return { status: 'Accepted', interval: 300, currentTime: nowIso() };
      case 'Heartbeat': return { currentTime: nowIso() };
      case 'Authorize': return { idTagInfo: { status: 'Accepted' } };
      case 'StartTransaction': this.nextTx += 1; return { transactionId: this.nextTx, idTagInfo: { status: 'Accepted' } };
      case 'StopTransaction': return { idTagInfo: { status: 'Accepted' } };
      default: return {};
    }
  }

  get ws() { return this.sockets[this.sockets.length - 1]; }

  open() { return !!this.ws && this.ws.readyState === 1; }

  send(text) {
    assert.ok(this.open(), 'the CSMS has no open connection to send on');
    this.ws.send(text);
  }

  /** CALLs evsed sent, by action. */
  calls(action) {
    return this.frames.filter((f) => Array.isArray(f.json) && f.json[0] === 2 && (!action || f.json[2] === action));
  }

  /** evsed's answers (CALLRESULT / CALLERROR) to the message id. */
  answersTo(id) {
    return this.frames.filter((f) => Array.isArray(f.json) && (f.json[0] === 3 || f.json[0] === 4) && f.json[1] === id);
  }

  async close() {
    for (const s of this.sockets) s.terminate();
    await new Promise((r) => this.wss.close(() => r()));
  }

  log() {
    return `--- raw CSMS: ${this.sockets.length} connection(s), closes ${JSON.stringify(this.closes)}, last frames received:\n` +
      this.frames.slice(-60).map((f) => `  #${f.conn} ${f.text.length > 300 ? `${f.text.slice(0, 300)}... (${f.text.length} bytes)` : f.text}`).join('\n');
  }
}

/** Parse `evsectl time advance` output: "time is now <UTC>". */
export function timeOf(advanceOut) {
  const m = /time is now (\S+)/.exec(advanceOut);
  assert.ok(m, `time advance printed no time: ${advanceOut}`);
  return m[1];
}
