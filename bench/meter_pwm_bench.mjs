// SPDX-License-Identifier: MIT
//
// Site meter change -> new PWM offered, end to end (issue 7, design.md:
// "site meter change -> new PWM offered: one re-evaluation period; 1 s
// achievable"). The real evsed reads a simulated Eastron SDM630 over Modbus
// TCP (tests/tools/modbus_meter_sim, libmodbus) with lm.mode = dynamic,
// lm.site_limit = 40 A, lm.reeval_time = 1 s and meter.poll_ms as given (the
// default 1000 ms, and 200 ms); an EV is plugged (offered 32 A). Each round the other
// loads step up (20 A: the offer must drop to 20 A) or back down (0 A: the
// offer rises to 32 A, at the earliest lm.reeval_time after the last change),
// and the time from the simulator's "ok" to the PWM duty in `evsectl status`
// changing is measured (status polled every 10 ms). Prints medians and maxima
// for the drop and the rise; target < 1.5 s.
// Usage: node bench/meter_pwm_bench.mjs [--markdown] EVSED EVSECTL MODBUS_METER_SIM [ROUNDS]
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';

const args = process.argv.slice(2);
const markdown = args.includes('--markdown');
const pos = args.filter((a) => !a.startsWith('--'));
if (pos.length < 3) {
  console.error('usage: node bench/meter_pwm_bench.mjs [--markdown] EVSED EVSECTL MODBUS_METER_SIM [ROUNDS]');
  process.exit(2);
}
process.env.EVSED = path.resolve(pos[0]);
process.env.EVSECTL = path.resolve(pos[1]);
process.env.MODBUS_METER_SIM = path.resolve(pos[2]);
const ROUNDS = Number(pos[3] || 10);
// lib.mjs reads the paths from the environment when it is loaded.
const { Daemon } = await import('../tests/integration/lib.mjs');
const { MeterSim } = await import('../tests/integration/meter_sim.mjs');
const log = markdown ? (...a) => console.error(...a) : (...a) => console.log(...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function offered(d) {
  return (await d.status()).connectors[0];
}

async function until(d, pred, ms) {
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    const c = await offered(d);
    if (pred(c)) return performance.now();
    await sleep(10);
  }
  throw new Error(`no change within ${ms} ms`);
}

async function measure(pollMs) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evsed-meterbench-'));
  const sim = await MeterSim.start('sdm630', 'tcp');
  await sim.set(0);
  const d = new Daemon(dir, ['--set', 'auth.required=false',
    '--set', `meter.site=modbus-tcp:127.0.0.1:${sim.port}:1:sdm630`,
    '--set', `meter.poll_ms=${pollMs}`, '--set', 'lm.site_limit=40',
    '--set', 'lm.reeval_time=1', '--set', 'lm.mode=dynamic']);
  d.start();
  try {
    await d.waitReady();
    // Plugged, not drawing: the simulated meter serves what it is told, so
    // the site reads exactly the other loads.
    await d.ok('plug', '1');
    await until(d, (c) => c.offered_a === 32, 10000);
    const drop = [], rise = [];
    for (let r = 0; r < ROUNDS; r++) {
      // Start each step at a random phase of the meter's polling.
      await sleep(1200 + Math.random() * pollMs);
      await sim.set(20);
      let t0 = performance.now();
      drop.push((await until(d, (c) => c.offered_a === 20, 5000)) - t0);
      await sleep(1200 + Math.random() * pollMs);
      await sim.set(0);
      t0 = performance.now();
      rise.push((await until(d, (c) => c.offered_a === 32, 5000)) - t0);
    }
    return { drop, rise };
  } finally {
    d.proc.kill('SIGTERM');
    await d.waitExit(3000);
    sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const rows = [];
for (const pollMs of [1000, 200]) {
  const { drop, rise } = await measure(pollMs);
  const f = (xs) => [median(xs), Math.max(...xs)].map((x) => (x / 1000).toFixed(2));
  rows.push([`meter.poll_ms = ${pollMs}, other loads up: offer drops 32 -> 20 A`, ...f(drop)]);
  rows.push([`meter.poll_ms = ${pollMs}, other loads down: offer rises 20 -> 32 A`, ...f(rise)]);
  log(`poll ${pollMs} ms: drop ${f(drop).join(' / ')} s, rise ${f(rise).join(' / ')} s (median / max of ${ROUNDS})`);
}
if (markdown) {
  console.log('| meter change -> PWM offered, lm.reeval_time = 1 s | median s | max s |');
  console.log('|---|---:|---:|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}
process.exit(0);
