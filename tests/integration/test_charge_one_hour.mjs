// SPDX-License-Identifier: MIT
// One hour of charging on the io7 (A1 A2 A9): card, plug, swipe, charge,
// time advance; status while charging, EV full, unplug, and the history.
import { assert, run, SIM, near, secondsBetween, exec, EVSECTL, checkStatusShape, checkHistoryShape } from './lib.mjs';

run('charge_one_hour', async (t) => {
  const d = await t.start(SIM);

  const s0 = await d.status();
  checkStatusShape(s0);
  assert.equal(s0.profile, 'io7');
  assert.equal(s0.time, '2026-01-01T00:00:00Z');
  assert.equal(s0.connectors.length, 2, 'io7 has two connectors');
  for (const c of s0.connectors) {
    assert.equal(c.state, 'Available', `connector ${c.id} at start`);
    assert.equal(c.offered_a, 0);
    assert.equal(c.transaction_id, null);
  }
  const e0 = s0.connectors[0].energy_wh;

  await d.ok('card', 'add', 'CARD1');
  await d.ok('plug', '1');
  assert.equal((await d.conn(1)).state, 'Preparing', 'plugged, not authorised yet');
  const sw = await d.ok('swipe', 'CARD1');
  assert.match(sw, /session started on connector 1/);
  await d.ok('ev', '1', 'charge');

  let c = await d.conn(1);
  assert.equal(c.state, 'Charging');
  assert.equal(c.id_tag, 'CARD1');
  assert.ok(Number.isInteger(c.transaction_id) && c.transaction_id > 0, 'transaction id');

  await d.advance(1800);
  const half = await d.conn(1);
  await d.advance(1800);
  const s1 = await d.status();
  checkStatusShape(s1);
  assert.equal(s1.time, '2026-01-01T01:00:00Z');
  c = s1.connectors[0];
  assert.equal(c.state, 'Charging');
  assert.equal(c.cp, 'C2');
  assert.equal(c.offered_a, 32);
  assert.equal(c.limit_reason, 'hardware');
  near(c.power_w, 22080, 0.01, 'power while charging at 32 A x 3 x 230 V');
  assert.ok(half.energy_wh > e0, `energy grows: ${e0} -> ${half.energy_wh}`);
  assert.ok(c.energy_wh > half.energy_wh, `energy keeps growing: ${half.energy_wh} -> ${c.energy_wh}`);
  near(c.energy_wh - e0, 22080, 0.01, 'energy after one hour');
  near(half.energy_wh - e0, 11040, 0.01, 'energy after half an hour');
  assert.equal(s1.connectors[1].state, 'Available', 'connector 2 untouched');

  await d.ok('ev', '1', 'full');
  c = await d.conn(1);
  assert.equal(c.state, 'SuspendedEV');
  assert.equal(c.power_w, 0, 'a full EV draws nothing');

  await d.ok('unplug', '1');
  c = await d.conn(1);
  assert.equal(c.state, 'Available');
  assert.equal(c.transaction_id, null);
  assert.equal(c.offered_a, 0);

  const h = await d.history();
  checkHistoryShape(h);
  assert.equal(h.length, 1, `one session: ${JSON.stringify(h)}`);
  const s = h[0];
  assert.equal(s.connector, 1);
  assert.equal(s.id_tag, 'CARD1');
  assert.equal(s.start_mode, 'rfid');
  assert.equal(s.stop_mode, 'unplug');
  assert.equal(s.stop_reason, 'EVDisconnected');
  assert.equal(s.start, '2026-01-01T00:00:00Z');
  assert.equal(secondsBetween(s.start, s.end), 3600, `start ${s.start} end ${s.end}`);
  near(s.energy_wh, 22080, 0.01, 'session energy');
  assert.ok(Number.isInteger(s.number) && s.number > 0);

  const text = await d.ok('history');
  const line = text.split('\n').find((l) => l.includes('CARD1'));
  assert.ok(line, `text history lists the session:\n${text}`);
  for (const w of [String(s.number), '2026-01-01T00:00:00Z', s.end, 'rfid', 'unplug', 'EVDisconnected'])
    assert.ok(line.includes(w), `text history line has ${w}: ${line}`);

  // evsectl finds ./var/evsed.sock by default.
  const env = { ...process.env };
  delete env.EVSED_SOCKET;
  const dflt = await exec(EVSECTL, ['status', '--json'], { cwd: d.dir, env });
  assert.equal(dflt.code, 0, `evsectl without -s: ${dflt.stderr}`);
  assert.equal(JSON.parse(dflt.stdout).time, '2026-01-01T01:00:00Z');

  await d.stop();
});
