// SPDX-License-Identifier: MIT
//
// The charge point side of the OCTT-style protocol tests: the real evsed
// (binary from EVSED, evsectl from EVSECTL, scratch space under EVSED_TMP,
// as in tests/integration, whose Daemon and helpers are reused) connected to
// a test CSMS (csms.mjs), on the simulated clock.
//
// Every test is one file calling run('TC_xxx', async (t) => { ... }):
//   t.csms(opts)           a started CSMS on a free loopback port
//   t.evsed(csms, opts)    evsed (io7 unless opts.profile) pointed at it, ready
//   t.log(msg)
// At the end evsed must stop on SIGTERM with exit 0 and the CSMS is closed;
// any strict-mode failure the CSMS saw fails the test. On failure the CSMS's
// log and evsed's stderr tail are printed.

import assert from 'node:assert/strict';
import fs from 'node:fs';

import { Daemon, EVSED, EVSECTL, freshDir } from '../../integration/lib.mjs';
import { Csms, SIM_START } from './csms.mjs';

export { assert, SIM_START };

const TEST_TIMEOUT_MS = 30000; // the brief: every protocol test within 30 s
const BOOT_TIMEOUT_MS = 15000;

/** Seconds between two UTC timestamps. */
export const secs = (a, b) => (Date.parse(b) - Date.parse(a)) / 1000;

/** The value of measurand m in a MeterValue object (first match). */
export function sampled(mv, measurand = 'Energy.Active.Import.Register') {
  const s = mv.sampledValue.find((v) => (v.measurand ?? 'Energy.Active.Import.Register') === measurand);
  return s === undefined ? undefined : Number(s.value);
}

/** One charge point: evsed on the simulated clock, pointed at csms. */
export class Evsed {
  constructor(t, csms, { profile = 'io7', args = [], id = 'CP1' } = {}) {
    this.t = t;
    this.csms = csms;
    this.dir = t.dir;
    this.args = [
      '--set', 'clock=sim', '--set', `clock.sim_start=${SIM_START}`, '--set', 'web.listen=off',
      '--set', `profile=${profile}`,
      '--set', `ocpp.url=${csms.url}`, '--set', `ocpp.id=${id}`,
      // Answers arrive between 'time advance' steps: a call must not time
      // out inside one step (tests that need timeouts set their own).
      '--set', 'ocpp.call_timeout=600',
      '--set', 'ocpp.reconnect_max=1',
      ...args,
    ];
    this.daemons = [];
  }

  start() {
    const d = new Daemon(this.dir, this.args);
    this.daemons.push(d);
    this.t.daemons.push(d);
    d.start();
    this.d = d;
    return d.waitReady();
  }

  /** Start, and wait for the BootNotification and the connection. */
  async boot() {
    const since = this.csms.mark();
    await this.start();
    return this.csms.waitFor('BootNotification', () => true, { since, timeoutMs: BOOT_TIMEOUT_MS });
  }

  ctl(...a) { return this.d.ctl(...a); }
  ok(...a) { return this.d.ok(...a); }
  fails(code, re, ...a) { return this.d.fails(code, re, ...a); }
  status() { return this.d.status(); }
  conn(id) { return this.d.conn(id); }
  history() { return this.d.history(); }
  plug(n, ...opts) { return this.ok('plug', String(n), ...opts); }
  unplug(n) { return this.ok('unplug', String(n)); }
  ev(n, mode) { return this.ok('ev', String(n), mode); }
  swipe(uid) { return this.ok('swipe', uid); }
  fault(name, on, n) { return this.ok('fault', name, on ? 'on' : 'off', ...(n ? [String(n)] : [])); }
  async config(key) { return (await this.d.json('config', 'get', key)).value; }
  configSet(key, value) { return this.ok('config', 'set', key, String(value)); }

  /** Move the simulated clock (and the CSMS's with it) by s seconds, in one
   * 'time advance'. */
  async advance(s) {
    // The CSMS clock moves first: evsed handles no frame during the
    // advance, so every answer it gets is read at the end of it.
    this.csms.advance(s);
    await this.ok('time', 'advance', String(s));
  }

  /** Advance in steps of `step` seconds, letting the CSMS answer between. */
  async advanceSteps(total, step) {
    for (let done = 0; done < total; done += step) {
      await this.advance(Math.min(step, total - done));
      await this.csms.settle();
    }
  }

  /** Wait until evsed itself reports the CSMS connection (dis)connected. */
  async waitLink(connected, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const st = await this.status();
      if (st.ocpp.connected === connected) return st;
      assert.ok(Date.now() < deadline, `evsed did not become ${connected ? 'connected' : 'disconnected'}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The network goes: the CSMS drops the link and refuses new ones;
   * returns once evsed knows. */
  async offline() {
    await this.csms.offline();
    await this.waitLink(false);
  }

  /** The network is back: evsed reconnects (no new BootNotification). */
  async online() {
    const n = this.csms.connections;
    await this.csms.online();
    await this.csms.waitConnected(n + 1);
  }

  /** SIGTERM: exit 0 within 2 s (the contract). */
  stop() { return this.d.stop(); }

  /** Pull the power. */
  killHard() { return this.d.killHard(); }

  /** Start again on the same data directory (after killHard or stop). */
  restart() { return this.boot(); }

  get pid() { return this.d.pid; }
}

/**
 * Run one protocol test. Exits 0 on success, 1 with the reason, the CSMS's
 * log and evsed's stderr tail on failure.
 */
export function run(name, fn) {
  process.env.EVSED_TRACE_OCPP = '1'; // frames in evsed's log, for failure reports
  const dir = freshDir(name);
  const csmss = [];
  const t = {
    dir,
    daemons: [],
    evseds: [],
    log: (msg) => console.log(`[${name}] ${msg}`),
    async csms(opts) {
      const c = new Csms(opts);
      csmss.push(c);
      return c.start();
    },
    async evsed(csms, opts = {}) {
      assert.ok(EVSED && EVSECTL, 'EVSED and EVSECTL must name the built binaries');
      const e = new Evsed(t, csms, opts);
      t.evseds.push(e);
      if (opts.noBoot) await e.start();
      else await e.boot();
      return e;
    },
  };
  const kill = () => { for (const d of t.daemons) if (d.proc && !d.exited) d.proc.kill('SIGKILL'); };
  const guard = setTimeout(() => {
    console.error(`[${name}] FAIL: the test took longer than ${TEST_TIMEOUT_MS / 1000} s`);
    for (const c of csmss) console.error(`--- CSMS log tail:\n${c.tail()}`);
    for (const d of t.daemons) console.error(`--- evsed stderr tail:\n${d.stderr.split('\n').slice(-30).join('\n')}`);
    kill();
    process.exit(1);
  }, TEST_TIMEOUT_MS);
  (async () => {
    let failed = null;
    const t0 = Date.now();
    try {
      await fn(t);
      for (const c of csmss) {
        c.assertClean();
        c.assertNoDuplicates();
      }
      // Every test ends with evsed stopped cleanly (SIGTERM, exit 0).
      for (const d of t.daemons) assert.ok(d.exited, `evsed pid ${d.pid} is still running at the end of the test`);
    } catch (e) {
      failed = e;
    } finally {
      for (const d of t.daemons) await d.cleanup();
      for (const c of csmss) await c.close();
    }
    clearTimeout(guard);
    if (failed) {
      console.error(`[${name}] FAIL: ${failed.stack || failed}`);
      for (const c of csmss) console.error(`--- CSMS frames: ${c.summary()}\n--- CSMS log tail:\n${c.tail()}`);
      t.daemons.forEach((d, i) => {
        const tail = d.stderr.split('\n').slice(-50).join('\n');
        console.error(`--- evsed #${i + 1} in ${d.dir}, stderr tail:\n${tail}`);
      });
      console.error(`(scratch directory kept: ${dir})`);
      process.exit(1);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`[${name}] PASS (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    process.exit(0);
  })();
}

/** Plug in, present a card the CSMS accepts, let the EV draw: the OCTT
 * reusable state "Charging". Returns {start, tx} (the StartTransaction frame
 * and the transactionId the CSMS gave). */
export async function charging(ev, csms, { conn = 1, idTag = 'CARD1' } = {}) {
  const since = csms.mark();
  await ev.plug(conn);
  await ev.ev(conn, 'charge');
  await ev.swipe(idTag);
  const start = await csms.waitFor('StartTransaction', (p) => p.connectorId === conn, { since });
  await csms.waitFor('StatusNotification', (p) => p.connectorId === conn && p.status === 'Charging', { since });
  await csms.settle();
  return { start, tx: start.answer.transactionId, since };
}

/** Wait until evsed has reported every connector after the boot (OCTT
 * "Booted"): StatusNotification for connector 0..n. */
export async function booted(csms, n, since = 0) {
  for (let c = 0; c <= n; c++)
    await csms.waitFor('StatusNotification', (p) => p.connectorId === c, { since });
  await csms.settle();
}

/** The statuses reported for connector conn in frames from index since. */
export function statuses(csms, conn, since = 0) {
  return csms.since(since, 'StatusNotification')
    .filter((f) => f.payload.connectorId === conn).map((f) => f.payload.status);
}

/** Assert that no frame of this action (matching pred) arrived since index since. */
export function none(csms, action, since = 0, pred = () => true, why = '') {
  const hit = csms.since(since, action).filter((f) => pred(f.payload));
  assert.equal(hit.length, 0, `unexpected ${action}${why ? ` (${why})` : ''}: ` +
    JSON.stringify(hit.map((f) => f.payload)));
}

/** An OCPP dateTime in UTC. */
export function isUtc(s) {
  return typeof s === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(s);
}
