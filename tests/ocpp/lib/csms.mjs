// SPDX-License-Identifier: MIT
//
// A scripted test CSMS for the OCTT-style protocol tests: an ocpp-rpc
// RPCServer in strict mode (subprotocol ocpp1.6) on a free loopback port.
//
// - Every CALL the charge point sends is recorded in order (frames: action,
//   payload, time, connection number, message id); so are the CSMS's own
//   CALLs and their answers (log).
// - Answers come from per-test handlers (csms.on(action, fn)), with defaults
//   that accept everything: BootNotification Accepted (interval 300,
//   currentTime), Authorize Accepted, StartTransaction Accepted with an
//   increasing transactionId, others {} or Accepted.
// - csms.call(action, payload) calls the charge point and returns its answer.
// - csms.waitFor(action, pred) waits (bounded) for a frame.
// - csms.offline() closes the connection and stops listening (the network
//   is gone); csms.online() listens again on the same port.
// - Strict mode is the point: any 'strictValidationFailure' or 'badMessage'
//   the server reports is a test failure (csms.assertClean(), and every
//   waitFor fails as soon as one happened).
//
// The CSMS keeps its own clock (csms.clockMs, UTC ms) for currentTime. It
// starts at the evsed simulated clock's start and moves only with
// csms.advance(), which the evsed helper calls together with
// 'evsectl time advance': the charge point's clock and the CSMS's agree, so
// clock synchronisation never moves evsed's time backwards.
//
// Only Node.js built-ins and ocpp-rpc.

import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { RPCServer, createRPCError, NOREPLY } = require('ocpp-rpc');

export { createRPCError, NOREPLY };

/** The simulated clock's start used by every protocol test. */
export const SIM_START = '2026-01-01T00:00:00Z';

const POLL_MS = 10;
const WAIT_MS = 10000; // default bound of waitFor: generous for ASan on 2 loaded cores

export class Csms {
  /**
   * @param {object} o
   * @param {string} [o.clockStart] UTC start of the CSMS clock (SIM_START)
   * @param {string} [o.identity]  charge point identity expected in the URL (CP1)
   * @param {string} [o.password]  Basic auth password required (HTTP 401 otherwise); none by default
   */
  constructor({ clockStart = SIM_START, identity = 'CP1', password } = {}) {
    this.clockMs = Date.parse(clockStart);
    this.identity = identity;
    this.password = password; // may be changed while running
    this.frames = [];     // CALLs received: {action, payload, time, conn, id, n}
    this.log = [];        // everything, both ways, for failure reports
    this.failures = [];   // strict validation failures and bad messages
    this.connections = 0; // accepted connections so far
    this.disconnects = 0;
    this.client = null;   // the current connection
    this.handlers = new Map();
    this.txSeq = 0;
    this.refuse = false;
    this.port = 0;
    this.server = null;
    this.http = null;
    this.waiters = new Set();
    this.raw = 0;           // frames received, in arrival order
    this.rawCall = new Map(); // CALL message id -> arrival number
    this.outCalls = [];     // the CSMS's CALLs: {id, action, raw: arrival number of the answer}
    this.defaultHandlers();
  }

  /** ISO timestamp of the CSMS clock. */
  now() {
    return new Date(this.clockMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** Move the CSMS clock with the charge point's. */
  advance(secs) {
    this.clockMs += secs * 1000;
  }

  defaultHandlers() {
    const accepted = { status: 'Accepted' };
    this.defaults = {
      BootNotification: () => ({ status: 'Accepted', currentTime: this.now(), interval: 300 }),
      Heartbeat: () => ({ currentTime: this.now() }),
      StatusNotification: () => ({}),
      Authorize: () => ({ idTagInfo: { ...accepted } }),
      StartTransaction: () => ({ transactionId: ++this.txSeq, idTagInfo: { ...accepted } }),
      StopTransaction: () => ({}),
      MeterValues: () => ({}),
      DataTransfer: () => ({ status: 'Accepted' }),
      DiagnosticsStatusNotification: () => ({}),
      FirmwareStatusNotification: () => ({}),
      // The security extension (C12): whitepaper messages, validated by
      // ocpp-rpc's strict mode like the 1.6 ones.
      SecurityEventNotification: () => ({}),
      LogStatusNotification: () => ({}),
      SignedFirmwareStatusNotification: () => ({}),
      SignCertificate: () => ({ status: 'Accepted' }),
    };
  }

  /** Answer `action` with fn(payload, frame) (its value, a Promise, or a
   * thrown createRPCError); fn may return NOREPLY to leave a CALL unanswered.
   * on(action, null) restores the default. */
  on(action, fn) {
    if (fn) this.handlers.set(action, fn);
    else this.handlers.delete(action);
    return this;
  }

  async start() {
    this.server = new RPCServer({
      protocols: ['ocpp1.6'],
      strictMode: true,
      callTimeoutMs: WAIT_MS,
    });
    this.passwords = []; // the Basic auth password of each connection attempt (undefined: none)
    this.peers = []; // over TLS asking for client certificates: each attempt's {authorized, cn, serial}
    this.server.auth((accept, reject, handshake) => {
      this.passwords.push(handshake.password ? handshake.password.toString('utf8') : undefined);
      const sock = handshake.request && handshake.request.socket;
      if (sock && typeof sock.getPeerCertificate === 'function') {
        const c = sock.getPeerCertificate();
        this.peers.push({ authorized: sock.authorized, cn: c && c.subject ? c.subject.CN : undefined,
          serial: c ? c.serialNumber : undefined });
      }
      if (this.refuse) return reject(503, 'offline');
      if (handshake.identity !== this.identity) return reject(404, 'unknown charge point');
      if (this.password !== undefined &&
          (handshake.password ? handshake.password.toString('utf8') : undefined) !== this.password) {
        this.refused401 = (this.refused401 || 0) + 1;
        return reject(401, 'wrong password');
      }
      if (!handshake.protocols.has('ocpp1.6')) return reject(400, 'ocpp1.6 expected');
      accept();
    });
    this.server.on('client', (c) => this.attach(c));
    this.server.on('error', (e) => this.fail('server error', e.message));
    this.http = await this.server.listen(this.port, '127.0.0.1');
    this.port = this.http.address().port;
    this.url = `ws://127.0.0.1:${this.port}/ocpp`;
    return this;
  }

  attach(client) {
    const conn = ++this.connections;
    if (this.client && this.client !== client) this.client.close({ force: true }).catch(() => {});
    this.client = client;
    this.entry({ dir: 'event', type: 'connected', conn });
    client.on('strictValidationFailure', (e) => {
      this.fail(`strict validation failure (${e.outbound ? 'CSMS' : 'charge point'} ` +
        `${e.isCall ? 'CALL' : 'CALLRESULT'} ${e.method})`,
        `${e.error?.message} params=${JSON.stringify(e.params)} result=${JSON.stringify(e.result)}`);
    });
    client.on('badMessage', (e) => {
      this.fail('bad message from the charge point',
        `${e.error?.message}: ${String(e.buffer).slice(0, 500)}`);
    });
    // Raw arrival order (ws 'message' events fire one per frame, in order;
    // promise continuations may run later).
    client.on('call', ({ outbound, payload }) => {
      if (outbound) this.outCalls.push({ id: payload[1], action: payload[2], raw: undefined });
    });
    client.on('message', ({ message, outbound }) => {
      if (outbound) return;
      const raw = ++this.raw;
      let m;
      try { m = JSON.parse(String(message)); } catch { return; }
      if (!Array.isArray(m)) return;
      if (m[0] === 2) this.rawCall.set(m[1], raw);
      else {
        const c = this.outCalls.find((x) => x.id === m[1]);
        if (c) c.raw = raw;
      }
    });
    client.on('close', () => {
      this.disconnects++;
      this.entry({ dir: 'event', type: 'disconnected', conn });
      if (this.client === client) this.client = null;
      this.wake();
    });
    client.handle(async ({ method, params, messageId }) => {
      const frame = { action: method, payload: params, time: Date.now(), conn, id: messageId,
        n: this.frames.length, raw: this.rawCall.get(messageId) };
      this.frames.push(frame);
      this.entry({ dir: 'in', type: 'call', action: method, payload: params, conn, id: messageId });
      this.wake();
      const fn = this.handlers.get(method) || this.defaults[method];
      if (!fn) throw createRPCError('NotImplemented', `no handler for ${method}`);
      const result = await fn(params, frame);
      frame.answer = result === NOREPLY ? 'NOREPLY' : result;
      if (result !== NOREPLY)
        this.entry({ dir: 'out', type: 'result', action: method, payload: result, conn, id: messageId });
      return result;
    });
    this.wake();
  }

  entry(e) {
    this.log.push({ ...e, time: Date.now() });
  }

  fail(what, detail) {
    this.failures.push(`${what}: ${detail}`);
    this.entry({ dir: 'event', type: 'failure', payload: `${what}: ${detail}` });
    this.wake();
  }

  wake() {
    for (const w of this.waiters) w();
  }

  /** Fail at once if the server reported any strict-mode failure. */
  assertClean() {
    assert.deepEqual(this.failures, [], 'the CSMS (ocpp-rpc, strict mode) reported failures');
  }

  /** A transaction message the CSMS answered must never come again
   * (nothing is sent twice): StartTransaction by connector, idTag and
   * timestamp, StopTransaction by transactionId, MeterValues by connector,
   * transactionId and timestamps. */
  assertNoDuplicates() {
    const key = {
      StartTransaction: (p) => `${p.connectorId}|${p.idTag}|${p.timestamp}`,
      StopTransaction: (p) => `${p.transactionId}`,
      MeterValues: (p) => `${p.connectorId}|${p.transactionId}|` +
        p.meterValue.map((v) => `${v.timestamp}/${v.sampledValue[0]?.context}`).join(','),
    };
    const seen = new Map();
    for (const f of this.frames) {
      if (!key[f.action] || f.answer === undefined || f.answer === 'NOREPLY') continue;
      const k = `${f.action} ${key[f.action](f.payload)}`;
      assert.ok(!seen.has(k), `${f.action} sent again after it was answered: ${JSON.stringify(f.payload)}`);
      seen.set(k, f);
    }
  }

  get connected() {
    return this.client !== null && this.client.state === 1;
  }

  /** Poll `check` (returning a value or undefined) until it answers, bounded. */
  async until(check, what, timeoutMs = WAIT_MS) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.assertClean();
      const v = check();
      if (v !== undefined && v !== false) return v;
      if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => {
        const w = () => { clearTimeout(t); this.waiters.delete(w); resolve(); };
        const t = setTimeout(w, POLL_MS * 5);
        this.waiters.add(w);
      });
    }
  }

  /** The next frame with this action (or any, '*') matching pred, at index
   * >= since (default 0). */
  waitFor(action, pred = () => true, { since = 0, timeoutMs = WAIT_MS } = {}) {
    return this.until(() => this.frames.find((f) => f.n >= since &&
      (action === '*' || f.action === action) && pred(f.payload, f)),
    `${action}${pred.toString() !== '() => true' ? ` matching ${pred}` : ''} (since frame ${since}; ` +
      `received: ${this.summary(since)})`, timeoutMs);
  }

  /** Frames received from index since on (optionally of one action). */
  since(since, action) {
    return this.frames.filter((f) => f.n >= since && (!action || f.action === action));
  }

  /** Index of the next frame to arrive. */
  mark() {
    return this.frames.length;
  }

  /** A short text of the frames from index since, for messages. */
  summary(since = 0) {
    return this.frames.slice(since).map((f) => {
      const p = f.payload || {};
      if (f.action === 'StatusNotification') return `SN(${p.connectorId},${p.status},${p.errorCode})`;
      if (f.action === 'StopTransaction') return `Stop(${p.transactionId},${p.reason ?? '-'})`;
      if (f.action === 'StartTransaction') return `Start(${p.connectorId},${p.idTag})`;
      if (f.action === 'Authorize') return `Auth(${p.idTag})`;
      if (f.action === 'MeterValues') return `MV(${p.connectorId},${p.transactionId ?? '-'})`;
      return f.action;
    }).join(' ') || '(nothing)';
  }

  /** Wait until the charge point is connected (count: at least this many
   * connections so far). */
  waitConnected(count = 1, timeoutMs = WAIT_MS) {
    return this.until(() => (this.connections >= count && this.connected) || undefined,
      `connection #${count}`, timeoutMs);
  }

  /** Wait until no frame has arrived for quietMs and every CALL received is
   * answered (bounded): the charge point has sent what it had to send. */
  async settle(quietMs = 250, timeoutMs = WAIT_MS) {
    let last = this.log.length;
    let since = Date.now();
    await this.until(() => {
      if (this.log.length !== last) {
        last = this.log.length;
        since = Date.now();
      }
      const unanswered = this.frames.some((f) => f.answer === undefined);
      return (!unanswered && Date.now() - since >= quietMs) || undefined;
    }, `quiet for ${quietMs} ms`, timeoutMs);
  }

  /** CALL the charge point; resolves with its answer (rejects on CALLERROR,
   * with err.rpcErrorCode). */
  async call(action, payload = {}, { timeoutMs = WAIT_MS } = {}) {
    this.assertClean();
    assert.ok(this.connected, `${action}: the charge point is not connected`);
    this.entry({ dir: 'out', type: 'call', action, payload });
    try {
      const r = await this.client.call(action, payload, { callTimeoutMs: timeoutMs });
      const c = [...this.outCalls].reverse().find((x) => x.action === action && x.raw !== undefined);
      this.lastCall = { action, payload, result: r, raw: c?.raw };
      this.entry({ dir: 'in', type: 'result', action, payload: r });
      return r;
    } catch (e) {
      this.entry({ dir: 'in', type: 'error', action, payload: `${e.rpcErrorCode} ${e.message}` });
      throw e;
    }
  }

  /** Assert that frame f arrived after the answer to the CSMS's last CALL
   * (what a CALL causes is reported after its answer). */
  assertAfterAnswer(f) {
    assert.ok(this.lastCall && this.lastCall.raw !== undefined && f.raw > this.lastCall.raw,
      `${f.action} ${JSON.stringify(f.payload)} was sent before the answer to ${this.lastCall?.action}`);
  }

  /** A raw frame to the charge point (malformed-frame tests). */
  sendRaw(text) {
    assert.ok(this.connected, 'sendRaw: the charge point is not connected');
    this.entry({ dir: 'out', type: 'raw', payload: text });
    this.client.sendRaw(text);
  }

  /** The network is gone: drop the connection and refuse new ones. */
  async offline() {
    this.refuse = true;
    const c = this.client;
    if (c) {
      await c.close({ code: 1001, reason: 'network loss', force: true }).catch(() => {});
      await this.until(() => this.client === null || undefined, 'the connection to close');
    }
    await new Promise((resolve) => this.http.close(() => resolve()));
  }

  /** The network is back: listen again on the same port. */
  async online() {
    this.refuse = false;
    await new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.port, '127.0.0.1', () => {
        this.http.off('error', reject);
        resolve();
      });
    });
  }

  /** The OCTT's "restart the WebSocket server with security profile 2" on
   * the same endpoint: the connection and the plain listener go, an https
   * server (cert / key, PEM) takes the same port. tls false goes back to
   * plain ws. clientCa (PEM): ask for client certificates and check them
   * against it (recorded in peers); strict: refuse the TLS handshake of a
   * client without a certificate clientCa signed. */
  async secure({ cert, key } = {}, tls = true, { clientCa, strict = false } = {}) {
    await this.offline();
    const opts = clientCa ? { cert, key, ca: [clientCa], requestCert: true, rejectUnauthorized: strict }
      : { cert, key };
    const srv = tls ? https.createServer(opts) : http.createServer();
    srv.on('upgrade', this.server.handleUpgrade);
    // A charge point refusing the certificate ends the handshake.
    srv.on('tlsClientError', () => { this.tlsErrors = (this.tlsErrors || 0) + 1; });
    if (tls) {
      this.tlsVersions = this.tlsVersions || []; // TLS version of each connection
      srv.on('secureConnection', (sock) => this.tlsVersions.push(sock.getProtocol()));
    }
    this.http = srv;
    await this.online();
  }

  /** Drop the current connection only (the charge point reconnects). */
  async drop() {
    const c = this.client;
    if (c) {
      await c.close({ code: 1001, reason: 'dropped', force: true }).catch(() => {});
      await this.until(() => this.client === null || undefined, 'the connection to close');
    }
  }

  async close() {
    if (!this.server) return;
    const s = this.server;
    this.server = null;
    await s.close({ force: true }).catch(() => {});
    if (this.http && this.http.listening) await new Promise((r) => this.http.close(() => r()));
  }

  /** The last log entries as text (failure reports). */
  tail(n = 60) {
    return this.log.slice(-n).map((e) => `${e.dir} ${e.type} ${e.action ?? ''} ` +
      `${typeof e.payload === 'string' ? e.payload : JSON.stringify(e.payload ?? '')}`).join('\n');
  }
}
