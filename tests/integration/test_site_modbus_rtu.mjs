// SPDX-License-Identifier: MIT
// E1 over Modbus RTU: the real evsed opens one side of a pseudo-terminal pair
// whose other side a simulated meter answers through libmodbus's RTU server.
// A Carlo Gavazzi EM340 (32-bit integers, low word first, currents as
// magnitudes): in export mode the site's export (negative currents, signed
// from the per-phase powers) is what the plugged EV is offered. A Finder 7M
// (IEEE floats plus Finder's exponent-mantissa powers) in dynamic mode. A
// wrong slave address gives meter_timeout, not a crash.
import fs from 'node:fs';
import path from 'node:path';
import { assert, run } from './lib.mjs';
import { MeterSim, waitStatus, same, hasFault } from './meter_sim.mjs';

const COMMON = ['--set', 'auth.required=false', '--set', 'meter.poll_ms=200',
  '--set', 'meter.timeout=2', '--set', 'lm.site_limit=40', '--set', 'lm.reeval_time=1'];

function dir(t, name) {
  const p = path.join(t.dir, name);
  fs.mkdirSync(p);
  return p;
}

run('site_modbus_rtu', async (t) => {
  const em = await MeterSim.start('em340', 'rtu', { unit: 3 });
  const fi = await MeterSim.start('finder-7m', 'rtu', { unit: 1 });
  const wrong = await MeterSim.start('sdm120', 'rtu', { unit: 1 });
  await em.set(-10, -12, -11);
  await fi.set(30, 0, 12);
  await wrong.set(5);

  const a = await t.start([...COMMON, '--set', `meter.site=modbus-rtu:${em.path}:9600:N:3:em340`,
    '--set', 'lm.mode=export'], { dir: dir(t, 'em340') });
  const b = await t.start([...COMMON, '--set', `meter.site=modbus-rtu:${fi.path}:19200:E:1:finder-7m`,
    '--set', 'lm.mode=dynamic'], { dir: dir(t, 'finder') });
  const c = await t.start([...COMMON, '--set', `meter.site=modbus-rtu:${wrong.path}:9600:N:9:sdm120`,
    '--set', 'lm.mode=dynamic'], { dir: dir(t, 'wrong') });
  await a.ok('plug', '1');
  await b.ok('plug', '1');

  // EM340, export: 10 A exported on the weakest phase is offered.
  let { s } = await waitStatus(a, (x) => x.connectors[0].offered_a === 10, 8000,
    'EM340 export: the smallest phase export (10 A) offered');
  const m = s.load_management.meter;
  assert.equal(m.source, 'modbus-rtu');
  assert.equal(m.model, 'em340');
  assert.ok(same(m.current_a, [-10, -12, -11]), `negative currents from the powers' sign: ${JSON.stringify(m)}`);
  assert.ok(same(m.power_w, [-2300, -2760, -2530]), JSON.stringify(m));
  assert.ok(same(s.load_management.limit_a, [10, 10, 10]), JSON.stringify(s.load_management));
  // The export ends: nothing offered.
  await em.set(5, 5, 5);
  await waitStatus(a, (x) => x.connectors[0].offered_a === 0, 4000, 'EM340: no export, no offer');

  // Finder 7M, dynamic: 38 - 30 on L1 (the other phases are not binding).
  ({ s } = await waitStatus(b, (x) => same(x.load_management.limit_a, [10, 40, 28]), 8000,
    'Finder 7M dynamic limit 40 - 30 / 40 - 0 / 40 - 12'));
  assert.equal(s.connectors[0].offered_a, 10);
  assert.ok(same(s.load_management.meter.current_a, [30, 0, 12]), JSON.stringify(s.load_management.meter));
  assert.ok(same(s.load_management.meter.voltage_v, [230, 230, 230]));

  // A wrong slave address: no answer, meter_timeout, still running.
  ({ s } = await waitStatus(c, (x) => hasFault(x, 'meter_timeout'), 6000, 'wrong address: meter_timeout'));
  assert.equal(s.load_management.meter.reads, 0);
  assert.ok(s.load_management.meter.errors > 0);
  assert.match(s.load_management.meter.last_error, /timed out/i, JSON.stringify(s.load_management.meter));
  assert.ok(same(s.load_management.limit_a, [6, 6, 6]), 'the safe value');
  for (const d of [a, b, c]) await d.stop();
  for (const x of [em, fi, wrong]) x.stop();
});
