// SPDX-License-Identifier: MIT
// E1 over Modbus TCP: the real evsed reads a simulated Eastron SDM630 (IEEE
// floats, input registers) through libmodbus. In dynamic mode the offer to
// the plugged EV drops at once when the site's other loads rise and rises
// again only after lm.reeval_time; `status` shows the meter; when the meter
// goes silent, meter_timeout is raised within meter.timeout (plus one
// reading) and the offer falls to the safe value (lm.min_current); when it
// answers again the fault clears and the offer comes back. Real clock: the
// meter is real I/O.
import { assert, run } from './lib.mjs';
import { MeterSim, waitStatus, same, hasFault } from './meter_sim.mjs';

const LIMIT = 40;
const MARGIN = 2;
const REEVAL_S = 5;
const TIMEOUT_S = 2;

run('site_modbus_tcp', async (t) => {
  const sim = await MeterSim.start('sdm630', 'tcp');
  await sim.set(0);
  const d = await t.start(['--set', 'auth.required=false',
    '--set', `meter.site=modbus-tcp:127.0.0.1:${sim.port}:1:sdm630`,
    '--set', 'meter.poll_ms=200', '--set', `meter.timeout=${TIMEOUT_S}`,
    '--set', `lm.site_limit=${LIMIT}`, '--set', `lm.margin=${MARGIN}`,
    '--set', `lm.reeval_time=${REEVAL_S}`, '--set', 'lm.mode=dynamic']);
  await d.ok('plug', '1'); // plugged, not drawing: the meter reads only the other loads

  // Readings arrive; the offer starts at the safe value and rises after
  // the re-evaluation time to the hardware maximum (32 A).
  let { s } = await waitStatus(d, (x) => same(x.load_management.limit_a, [38, 38, 38]),
    (REEVAL_S + 5) * 1000, 'the full limit once the meter reads 0 A');
  const m = s.load_management.meter;
  assert.equal(m.source, 'modbus-tcp');
  assert.equal(m.model, 'sdm630');
  assert.equal(m.ok, true);
  assert.ok(m.reads > 0 && m.age_s >= 0 && m.age_s < TIMEOUT_S, JSON.stringify(m));
  assert.ok(same(m.voltage_v, [230, 230, 230]), JSON.stringify(m));
  assert.equal(s.connectors[0].offered_a, 32);

  // The other loads rise: answered within a reading or two, well before
  // lm.reeval_time.
  const rose = Date.now();
  await sim.set(20, 10, 5);
  ({ s } = await waitStatus(d, (x) => same(x.load_management.limit_a, [18, 28, 33]),
    3500, 'the limit after the other loads rose to 20 / 10 / 5 A'));
  assert.ok(same(s.load_management.site_a, [20, 10, 5]), JSON.stringify(s.load_management));
  ({ s } = await waitStatus(d, (x) => x.connectors[0].offered_a === 18, 2000, 'the offer follows'));
  assert.equal(s.connectors[0].limit_reason, 'load_management');

  // They fall: the offer waits for lm.reeval_time after the decrease, which
  // came after `rose`: no status before rose + lm.reeval_time may show a rise.
  await sim.set(0);
  ({ s } = await waitStatus(d, (x) => same(x.load_management.site_a, [0, 0, 0]), 3000, 'the meter reads 0 A'));
  let checked = 0;
  while (Date.now() - rose < REEVAL_S * 1000 - 300) {
    s = await d.status();
    if (Date.now() - rose >= REEVAL_S * 1000)
      break;
    assert.ok(same(s.load_management.limit_a, [18, 28, 33]), `no rise before lm.reeval_time: ${JSON.stringify(s.load_management)}`);
    checked++;
    await new Promise((r) => setTimeout(r, 100));
  }
  t.log(`${checked} status checks before lm.reeval_time saw no rise`);
  assert.ok(checked > 0, 'the meter read 0 A before lm.reeval_time passed');
  ({ s } = await waitStatus(d, (x) => x.connectors[0].offered_a === 32, (REEVAL_S + 4) * 1000,
    'the offer back at 32 A after lm.reeval_time'));
  assert.ok(Date.now() - rose >= REEVAL_S * 1000, 'the rise came after lm.reeval_time');

  // The meter goes silent: meter_timeout, the safe value.
  await sim.silent(true);
  let w = await waitStatus(d, (x) => hasFault(x, 'meter_timeout'), (TIMEOUT_S + 3) * 1000,
    'meter_timeout when the meter stops answering');
  t.log(`meter_timeout after ${w.secs} s (meter.timeout ${TIMEOUT_S} s)`);
  assert.ok(w.secs <= TIMEOUT_S + 3, `meter_timeout after ${w.secs} s`);
  ({ s } = await waitStatus(d, (x) => x.connectors[0].offered_a === 6, 2000, 'the offer at the safe value'));
  assert.ok(same(s.load_management.limit_a, [6, 6, 6]), JSON.stringify(s.load_management));
  assert.equal(s.load_management.meter.ok, false);
  assert.ok(s.load_management.meter.errors > 0, JSON.stringify(s.load_management.meter));
  assert.equal(s.load_management.meter.timeout, true);

  // It answers again: the fault clears, the offer comes back after the
  // re-evaluation time (the reconnection back-off is at most 8 s).
  await sim.silent(false);
  w = await waitStatus(d, (x) => !x.connectors.some((c) => c.faults.includes('meter_timeout')),
    12000, 'meter_timeout cleared when the meter answers again');
  t.log(`cleared after ${w.secs} s`);
  await waitStatus(d, (x) => x.connectors[0].offered_a === 32, (REEVAL_S + 4) * 1000,
    'the offer back at 32 A');
  await d.stop();
  sim.stop();
});
