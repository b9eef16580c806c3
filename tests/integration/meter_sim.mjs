// SPDX-License-Identifier: MIT
//
// The Modbus site meter simulator (tests/tools/modbus_meter_sim.c, path from
// the build in MODBUS_METER_SIM) for the E1 integration tests, and a helper
// that waits for a status condition. Only node: built-ins.

import { spawn } from 'node:child_process';
import { assert } from './lib.mjs';

const METER_SIM = process.env.MODBUS_METER_SIM;
const sims = [];
process.on('exit', () => {
  for (const s of sims) if (s.exited === null) s.proc.kill('SIGKILL');
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One simulator process serving `model` over 'tcp' or 'rtu'. */
export class MeterSim {
  static async start(model, transport, { unit = 1 } = {}) {
    assert.ok(METER_SIM, 'MODBUS_METER_SIM must name the built simulator');
    const s = new MeterSim();
    s.proc = spawn(METER_SIM, ['--model', model, `--${transport}`, '--unit', String(unit)],
      { stdio: ['pipe', 'pipe', 'pipe'] });
    s.exited = null;
    s.lines = [];
    s.waiters = [];
    s.stderr = '';
    let buf = '';
    s.proc.stdout.setEncoding('utf8');
    s.proc.stderr.setEncoding('utf8');
    s.proc.stderr.on('data', (d) => { s.stderr += d; });
    s.proc.stdout.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const w = s.waiters.shift();
        if (w) w(line); else s.lines.push(line);
      }
    });
    s.proc.on('exit', (code) => { s.exited = code; });
    sims.push(s);
    const ready = await s.line(5000);
    const m = /^ready (tcp|rtu) (\S+)$/.exec(ready);
    assert.ok(m, `simulator not ready: ${JSON.stringify(ready)} ${s.stderr}`);
    if (transport === 'tcp') s.port = Number(m[2]); else s.path = m[2];
    return s;
  }

  line(ms = 5000) {
    if (this.lines.length) return Promise.resolve(this.lines.shift());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`meter simulator: no answer within ${ms} ms ${this.stderr}`)), ms);
      this.waiters.push((l) => { clearTimeout(timer); resolve(l); });
    });
  }

  /** Send a command line; it must answer ok. */
  async cmd(text) {
    this.proc.stdin.write(`${text}\n`);
    const r = await this.line();
    assert.equal(r, 'ok', `meter simulator: ${text}: ${r}`);
  }

  set(...amps) { return this.cmd(`set ${amps.join(' ')}`); }
  silent(on) { return this.cmd(`silent ${on ? 'on' : 'off'}`); }
  stop() { if (this.exited === null) this.proc.stdin.end(); }
}

/** Poll `status` until pred(status) holds; the status and the seconds it
 * took. Fails after ms with the last status. */
export async function waitStatus(d, pred, ms, what) {
  const t0 = Date.now();
  let s;
  while (Date.now() - t0 < ms) {
    s = await d.status();
    if (pred(s)) return { s, secs: (Date.now() - t0) / 1000 };
    await sleep(100);
  }
  assert.fail(`${what}: not within ${ms} ms; last load_management ${JSON.stringify(s && s.load_management)} connectors ${JSON.stringify(s && s.connectors.map((c) => [c.offered_a, c.limit_reason, c.faults]))}`);
}

export const same = (a, b) => Array.isArray(a) && a.length === b.length && a.every((x, i) => Math.abs(x - b[i]) < 0.05);
export const hasFault = (s, name) => s.connectors.every((c) => c.faults.includes(name));
