// SPDX-License-Identifier: MIT
// E1 failures: a Modbus TCP meter (an ABB B23: holding registers, 32- and
// 64-bit integers) asked with the wrong unit id answers with an exception,
// an unreachable meter refuses the connection: both give meter_timeout and
// the safe value, never a crash, and evsed still stops cleanly. Bad meter.site
// values are refused at start, naming the key and the reason.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { assert, run, evsedOnce } from './lib.mjs';
import { MeterSim, waitStatus, same, hasFault } from './meter_sim.mjs';

const COMMON = ['--set', 'meter.poll_ms=200', '--set', 'meter.timeout=2',
  '--set', 'lm.site_limit=40', '--set', 'lm.reeval_time=1', '--set', 'lm.mode=dynamic'];

function dir(t, name) {
  const p = path.join(t.dir, name);
  fs.mkdirSync(p);
  return p;
}

/** A loopback port nobody listens on. */
function closedPort() {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

run('site_modbus_faults', async (t) => {
  // Refused at start: the key and the reason.
  const bad = [
    ['modbus-tcp:127.0.0.1:502:1:sdm999', /meter\.site.*unknown meter model 'sdm999' \(one of sdm630, sdm120, abb-b23/],
    ['modbus-rtu:/dev/ttyUSB0:9601:N:1:sdm630', /meter\.site.*baud '9601'/],
    ['modbus-rtu:/dev/ttyUSB0:9600:Z:1:sdm630', /meter\.site.*parity 'Z' must be N, E or O/],
    ['modbus-rtu:/dev/ttyUSB0:9600:N:248:sdm630', /meter\.site.*address '248' must be 1-247/],
    ['modbus-tcp:127.0.0.1:70000:1:sdm630', /meter\.site.*port '70000' must be 1-65535/],
    ['modbus', /meter\.site.*expected none, sim, modbus-rtu/],
  ];
  for (const [v, re] of bad) {
    const r = await evsedOnce(['--set', `meter.site=${v}`], { cwd: t.dir });
    assert.equal(r.code, 2, `${v} is refused: ${r.code} ${r.stderr}`);
    assert.match(r.stderr, re, v);
  }
  const r = await evsedOnce(['--set', 'meter.timeout=0'], { cwd: t.dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /meter\.timeout/);

  // The wrong unit id: exceptions, meter_timeout, the safe value.
  const sim = await MeterSim.start('abb-b23', 'tcp', { unit: 1 });
  await sim.set(12, 3, 4);
  const ok = await t.start([...COMMON, '--set', `meter.site=modbus-tcp:127.0.0.1:${sim.port}:1:abb-b23`],
    { dir: dir(t, 'right') });
  const wrong = await t.start([...COMMON, '--set', `meter.site=modbus-tcp:127.0.0.1:${sim.port}:7:abb-b23`],
    { dir: dir(t, 'wrong') });
  const port = await closedPort();
  const gone = await t.start([...COMMON, '--set', `meter.site=modbus-tcp:127.0.0.1:${port}:1:sdm630`],
    { dir: dir(t, 'gone') });

  // The right unit id reads the B23 (every phase, signed from its powers).
  let { s } = await waitStatus(ok, (x) => same(x.load_management.limit_a, [28, 37, 36]), 8000,
    'ABB B23: 40 - 12 / 40 - 3 / 40 - 4');
  assert.ok(same(s.load_management.meter.current_a, [12, 3, 4]), JSON.stringify(s.load_management.meter));
  assert.ok(Math.abs(s.load_management.meter.energy_import_kwh - 1234.5) < 0.01, 'the 64-bit energy register');
  assert.ok(!s.connectors.some((c) => c.faults.includes('meter_timeout')));

  ({ s } = await waitStatus(wrong, (x) => hasFault(x, 'meter_timeout'), 6000, 'wrong unit id: meter_timeout'));
  let m = s.load_management.meter;
  assert.equal(m.reads, 0);
  assert.ok(m.errors > 0);
  assert.match(m.last_error, /target device failed to respond/i, JSON.stringify(m)); // exception 0x0B
  assert.ok(same(s.load_management.limit_a, [6, 6, 6]), JSON.stringify(s.load_management));

  ({ s } = await waitStatus(gone, (x) => hasFault(x, 'meter_timeout'), 6000, 'unreachable meter: meter_timeout'));
  m = s.load_management.meter;
  assert.equal(m.connected, false);
  assert.match(m.last_error, /connect: connection refused/i, JSON.stringify(m));
  assert.equal(m.age_s, null);
  assert.equal(m.current_a, null);
  // The same in evsectl's text status.
  assert.match(await gone.ok('status'),
    /site meter sdm630 over modbus-tcp: no fresh reading \(connect: Connection refused\), 0 reads, \d+ errors, meter_timeout/);
  assert.match(await ok.ok('status'), /site meter abb-b23 over modbus-tcp: 12\.0 \/ 3\.0 \/ 4\.0 A, \d+\.\d s old, \d+ reads, \d+ errors\n/);

  // All stop within the 2 s contract, reader threads and all.
  for (const d of [ok, wrong, gone]) await d.stop();
  sim.stop();
});
