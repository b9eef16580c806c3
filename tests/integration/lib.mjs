// SPDX-License-Identifier: MIT
//
// Shared helpers for the evsed integration tests: start the real evsed in a
// fresh directory, talk to it through evsectl, stop it cleanly. Only node:
// built-ins. Binary paths come from the build (EVSED, EVSECTL); scratch space
// from EVSED_TMP.
//
// Every test is one file that calls run(name, async (t) => { ... }); the
// process exits 0 on success, 1 with a clear message (and the daemon's log)
// on failure. Daemons started through t.start() are always killed at the end.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export { assert };

export const EVSED = process.env.EVSED;
export const EVSECTL = process.env.EVSECTL;
export const TMP = process.env.EVSED_TMP || os.tmpdir();

/** Simulated clock, a fixed start: reproducible times in status and history. */
export const SIM = ['--set', 'clock=sim', '--set', 'clock.sim_start=2026-01-01T00:00:00Z'];

/** The local charging policies (D1 no-charging periods, D2 randomised delay,
 * A12 cold load pickup after a kill -9) are on by default on some profiles;
 * they would make every test depend on the time of day and on chance. Every
 * Daemon starts with them off; a test about them turns them on with its own
 * --set (later --set options win). */
export const POLICIES_OFF = [
  '--set', 'policy.no_charge_enabled=false',
  '--set', 'policy.random_delay_max=0',
  '--set', 'cold_load.max_delay=0',
];

const READY_TIMEOUT_MS = 15000;   // ASan start-up on a loaded machine
const CTL_TIMEOUT_MS = 15000;     // one evsectl call
const STOP_TIMEOUT_MS = 2000;     // the contract: SIGTERM -> exit within 2 s
const POLL_MS = 20;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Run a program; resolve {code, signal, stdout, stderr}. Never rejects on a
 * non-zero exit; kills the program and rejects after timeoutMs. */
export function exec(file, args, { cwd, env, timeoutMs = CTL_TIMEOUT_MS, input } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(file, args, { cwd, env: env || process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8');
    p.stderr.setEncoding('utf8');
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`${path.basename(file)} ${args.join(' ')}: no exit within ${timeoutMs} ms`));
    }, timeoutMs);
    p.on('error', (e) => { clearTimeout(timer); reject(e); });
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    p.stdin.on('error', () => {});
    p.stdin.end(input ?? '');
  });
}

/** A fresh, uniquely named directory under EVSED_TMP. */
export function freshDir(name) {
  fs.mkdirSync(TMP, { recursive: true });
  return fs.mkdtempSync(path.join(TMP, `${name}-`));
}

/** One evsed process. Use run()'s t.start() so that it is always killed. */
export class Daemon {
  constructor(dir, args, sock = './var/evsed.sock', env = undefined) {
    this.dir = dir;
    this.env = env; // extra environment variables for evsed
    // The web UI is off unless a test asks for it (tests/web): parallel
    // tests would race for its port and each make a certificate.
    this.args = [...POLICIES_OFF, '--set', 'web.listen=off', ...args];
    // Relative to dir (evsed and evsectl both run there): short enough for
    // sun_path wherever EVSED_TMP is.
    this.sock = sock;
    this.stdout = '';
    this.stderr = '';
    this.exited = null; // {code, signal} once it has exited
    this.exitWaiters = [];
  }

  start() {
    const env = this.env ? { ...process.env, ...this.env } : process.env;
    this.proc = spawn(EVSED, this.args, { cwd: this.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.pid = this.proc.pid;
    this.proc.stdout.setEncoding('utf8');
    this.proc.stderr.setEncoding('utf8');
    this.proc.stdout.on('data', (d) => { this.stdout += d; });
    this.proc.stderr.on('data', (d) => { this.stderr += d; });
    this.proc.on('error', (e) => { this.stderr += `\n(spawn error: ${e.message})`; });
    this.proc.on('exit', (code, signal) => {
      this.exited = { code, signal };
      for (const w of this.exitWaiters) w(this.exited);
      this.exitWaiters = [];
    });
  }

  /** Resolve {code, signal} when it exits, or null after ms. */
  waitExit(ms) {
    if (this.exited) return Promise.resolve(this.exited);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), ms);
      this.exitWaiters.push((e) => { clearTimeout(timer); resolve(e); });
    });
  }

  /** Poll `evsectl status` until it answers (bounded). */
  async waitReady() {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let last;
    while (Date.now() < deadline) {
      if (this.exited)
        assert.fail(`evsed exited (${JSON.stringify(this.exited)}) before it answered status:\n${this.stderr}`);
      last = await this.ctl('status');
      if (last.code === 0) return;
      await sleep(POLL_MS);
    }
    assert.fail(`evsed did not answer status within ${READY_TIMEOUT_MS} ms (last: ${JSON.stringify(last)})`);
  }

  /** Run evsectl against this daemon: {code, stdout, stderr}. */
  ctl(...args) {
    return exec(EVSECTL, ['-s', this.sock, ...args], { cwd: this.dir });
  }

  /** evsectl that must succeed; its stdout. */
  async ok(...args) {
    const r = await this.ctl(...args);
    assert.equal(r.code, 0, `evsectl ${args.join(' ')} failed (exit ${r.code}): ${r.stderr.trim()}`);
    return r.stdout;
  }

  /** evsectl ... --json that must succeed; the parsed output. */
  async json(...args) {
    const out = await this.ok(...args, '--json');
    try {
      return JSON.parse(out);
    } catch (e) {
      assert.fail(`evsectl ${args.join(' ')} --json printed no JSON: ${e.message}\n${out}`);
    }
  }

  /** evsectl that must fail with exit code `code` and stderr matching `re`. */
  async fails(code, re, ...args) {
    const r = await this.ctl(...args);
    assert.equal(r.code, code,
      `evsectl ${args.join(' ')}: expected exit ${code}, got ${r.code} (stdout ${JSON.stringify(r.stdout)}, stderr ${JSON.stringify(r.stderr)})`);
    if (re) assert.match(r.stderr, re, `evsectl ${args.join(' ')}: stderr`);
    return r;
  }

  status() { return this.json('status'); }

  async conn(id) {
    const s = await this.status();
    const c = s.connectors.find((x) => x.id === id);
    assert.ok(c, `status has no connector ${id}: ${JSON.stringify(s)}`);
    return c;
  }

  history() { return this.json('history'); }

  async config(key) { return this.json('config', 'get', key); }

  advance(secs) { return this.ok('time', 'advance', String(secs)); }

  /** SIGTERM (or SIGINT); it must exit 0 within 2 s. */
  async stop(signal = 'SIGTERM') {
    if (this.exited) assert.fail(`evsed already exited: ${JSON.stringify(this.exited)}\n${this.stderr}`);
    const t0 = Date.now();
    this.proc.kill(signal);
    const e = await this.waitExit(STOP_TIMEOUT_MS);
    assert.ok(e, `evsed did not exit within ${STOP_TIMEOUT_MS} ms of ${signal}`);
    assert.deepEqual(e, { code: 0, signal: null },
      `evsed stopped by ${signal} must exit 0 (got ${JSON.stringify(e)} after ${Date.now() - t0} ms)`);
  }

  /** SIGKILL (a power loss); waits until it is gone. */
  async killHard() {
    if (!this.exited) this.proc.kill('SIGKILL');
    const e = await this.waitExit(5000);
    assert.ok(e, 'evsed did not die on SIGKILL');
  }

  /** Best effort, for finally blocks. */
  async cleanup() {
    if (this.proc && !this.exited) {
      this.proc.kill('SIGKILL');
      await this.waitExit(5000);
    }
  }
}

/** Run evsed expecting it to exit on its own (bad command line / settings). */
export function evsedOnce(args, { cwd } = {}) {
  return exec(EVSED, args, { cwd, timeoutMs: 10000 });
}

const isNum = (x) => typeof x === 'number' && Number.isFinite(x);
const isStr = (x) => typeof x === 'string';
const isUtc = (x) => isStr(x) && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(x);

/** The fixed fields of `status --json` (interfaces.md), with their types. */
export function checkStatusShape(s) {
  assert.ok(s && typeof s === 'object' && !Array.isArray(s), 'status --json is one object');
  assert.ok(isStr(s.profile), 'status.profile');
  assert.ok(isUtc(s.time), `status.time: ${s.time}`);
  assert.ok(s.ocpp && typeof s.ocpp === 'object', 'status.ocpp');
  assert.ok(isStr(s.ocpp.url), 'status.ocpp.url');
  assert.equal(typeof s.restart_required, 'boolean', 'status.restart_required');
  assert.equal(typeof s.ocpp.connected, 'boolean', 'status.ocpp.connected');
  assert.ok(isNum(s.ocpp.bytes_sent) && isNum(s.ocpp.bytes_received), 'status.ocpp.bytes_*');
  assert.ok(Array.isArray(s.connectors) && s.connectors.length > 0, 'status.connectors');
  s.connectors.forEach((c, i) => {
    const w = `status.connectors[${i}]`;
    assert.equal(c.id, i + 1, `${w}.id`);
    assert.ok(isStr(c.state), `${w}.state`);
    assert.ok(isStr(c.cp), `${w}.cp`);
    assert.ok(isNum(c.offered_a) && c.offered_a >= 0, `${w}.offered_a`);
    assert.ok(isStr(c.limit_reason), `${w}.limit_reason`);
    assert.ok(isNum(c.power_w), `${w}.power_w`);
    assert.ok(isNum(c.energy_wh) && c.energy_wh >= 0, `${w}.energy_wh`);
    assert.ok(c.transaction_id === null || Number.isInteger(c.transaction_id), `${w}.transaction_id`);
    assert.ok(c.id_tag === null || isStr(c.id_tag), `${w}.id_tag`);
    assert.equal(c.transaction_id === null, c.id_tag === null, `${w}: id_tag goes with transaction_id`);
    assert.ok(Array.isArray(c.faults) && c.faults.every(isStr), `${w}.faults`);
    assert.ok(isStr(c.led), `${w}.led`);
  });
}

/** The fields of `history --json` (interfaces.md), with their types. */
export function checkHistoryShape(h) {
  assert.ok(Array.isArray(h), 'history --json is an array');
  h.forEach((x, i) => {
    const w = `history[${i}]`;
    assert.ok(Number.isInteger(x.number) && x.number > 0, `${w}.number`);
    assert.ok(Number.isInteger(x.connector) && x.connector > 0, `${w}.connector`);
    assert.ok(isUtc(x.start), `${w}.start`);
    assert.ok(x.end === null || isUtc(x.end), `${w}.end`);
    assert.ok(isStr(x.start_mode), `${w}.start_mode`);
    assert.ok(x.stop_mode === null || isStr(x.stop_mode), `${w}.stop_mode`);
    assert.ok(isNum(x.energy_wh) && x.energy_wh >= 0, `${w}.energy_wh`);
    assert.ok(isStr(x.id_tag), `${w}.id_tag`);
    assert.ok(x.stop_reason === null || isStr(x.stop_reason), `${w}.stop_reason`);
    if (i > 0) assert.ok(x.number < h[i - 1].number, 'history is newest first');
  });
}

/** Assert |actual - expected| <= rel * expected. */
export function near(actual, expected, rel, what) {
  assert.equal(typeof actual, 'number', `${what}: not a number: ${actual}`);
  assert.ok(Math.abs(actual - expected) <= Math.abs(expected) * rel,
    `${what}: ${actual} is not within ${rel * 100} % of ${expected}`);
}

/** Seconds between two UTC timestamps "YYYY-MM-DDTHH:MM:SSZ". */
export function secondsBetween(a, b) {
  return (Date.parse(b) - Date.parse(a)) / 1000;
}

/**
 * Run one test scenario. fn gets a context:
 *   t.dir                     a fresh directory for this test
 *   t.start(args, {dir, sock, env}) start evsed (cwd = dir, default t.dir; control
 *                             socket sock, default ./var/evsed.sock; extra environment
 *                             env), wait until ready
 *   t.log(msg)                progress line on stdout
 * Exits 0 on success, 1 on failure (message, then the daemons' logs).
 */
export function run(name, fn) {
  const daemons = [];
  const dir = freshDir(name);
  const t = {
    dir,
    log: (msg) => console.log(`[${name}] ${msg}`),
    async start(args = [], { dir: d = dir, ready = true, sock, env } = {}) {
      assert.ok(EVSED && EVSECTL, 'EVSED and EVSECTL must name the built binaries');
      const dm = new Daemon(d, args, sock, env);
      daemons.push(dm);
      dm.start();
      if (ready) await dm.waitReady();
      return dm;
    },
  };
  // EVSED_TEST_TIMEOUT_MS: longer for the browser tests (tests/web).
  const guardMs = Number(process.env.EVSED_TEST_TIMEOUT_MS) || 60000;
  const guard = setTimeout(() => {
    console.error(`[${name}] FAIL: the test took longer than ${guardMs / 1000} s`);
    for (const d of daemons) if (d.proc && !d.exited) d.proc.kill('SIGKILL');
    process.exit(1);
  }, guardMs); // not unref'd: a test stuck on a promise must fail, not exit 0
  (async () => {
    let failed = null;
    try {
      assert.ok(EVSED && EVSECTL, 'EVSED and EVSECTL must name the built binaries');
      await fn(t);
    } catch (e) {
      failed = e;
    } finally {
      for (const d of daemons) await d.cleanup();
    }
    clearTimeout(guard);
    if (failed) {
      console.error(`[${name}] FAIL: ${failed.stack || failed}`);
      daemons.forEach((d, i) => {
        const tail = d.stderr.split('\n').slice(-40).join('\n');
        console.error(`--- evsed #${i + 1} (${d.args.join(' ')}) in ${d.dir}, stderr tail:\n${tail}`);
      });
      console.error(`(scratch directory kept: ${dir})`);
      process.exit(1);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`[${name}] PASS`);
    process.exit(0);
  })();
}
