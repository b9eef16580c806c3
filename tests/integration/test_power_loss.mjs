// SPDX-License-Identifier: MIT
// Store recovery after a power loss (kill -9 while charging): the open
// session is closed as PowerLoss with the energy recorded before the kill,
// the energy register never goes backwards, and new sessions add on top.
import { assert, run, near, checkHistoryShape, checkStatusShape } from './lib.mjs';

const at = (ts) => ['--set', 'clock=sim', '--set', `clock.sim_start=${ts}`];

run('power_loss', async (t) => {
  let d = await t.start(at('2026-01-01T00:00:00Z'));
  await d.ok('card', 'add', 'CARD1');
  await d.ok('plug', '1');
  await d.ok('swipe', 'CARD1');
  await d.ok('ev', '1', 'charge');
  await d.advance(1800);
  const before = await d.conn(1);
  assert.equal(before.state, 'Charging');
  near(before.session_energy_wh ?? before.energy_wh, 11040, 0.01, 'energy after 30 min at 22 kW');
  const regBefore = before.energy_wh;
  const open = await d.history();
  checkHistoryShape(open);
  assert.equal(open.length, 1);
  assert.equal(open[0].end, null, 'the session is open while charging');
  assert.equal(open[0].stop_reason, null, 'an open session has no stop reason yet');

  await d.killHard();
  t.log(`killed -9 with register ${regBefore} Wh`);

  // Power comes back half an hour later (the simulated clock restarts there).
  d = await t.start(at('2026-01-01T01:00:00Z'));
  const h = await d.history();
  checkHistoryShape(h);
  checkStatusShape(await d.status());
  assert.equal(h.length, 1, `one session after recovery: ${JSON.stringify(h)}`);
  const s = h[0];
  assert.equal(s.stop_reason, 'PowerLoss', `recovered session: ${JSON.stringify(s)}`);
  assert.equal(typeof s.stop_mode, 'string', 'closed session has a stop mode');
  assert.equal(s.connector, 1);
  assert.equal(s.id_tag, 'CARD1');
  assert.equal(s.start, '2026-01-01T00:00:00Z');
  assert.equal(typeof s.end, 'string', 'recovered session is closed (has an end)');
  assert.ok(Date.parse(s.end) >= Date.parse(s.start), `end ${s.end} not before start`);
  assert.ok(Date.parse(s.end) <= Date.parse('2026-01-01T00:30:00Z'),
    `end ${s.end} is no later than the last record before the kill`);
  assert.ok(s.energy_wh > 0, 'energy recorded before the kill is kept');
  assert.ok(s.energy_wh <= regBefore + 1e-6, `no more than measured: ${s.energy_wh} <= ${regBefore}`);
  near(s.energy_wh, 11040, 0.01, 'recovered session energy (half of 22080 Wh)');

  let c = await d.conn(1);
  assert.ok(c.energy_wh >= regBefore,
    `energy register never goes backwards: ${c.energy_wh} after restart < ${regBefore} before the kill`);
  assert.equal(c.transaction_id, null, 'no session after recovery');
  assert.equal(c.state, 'Available');
  const regAfter = c.energy_wh;

  // A new session: the card list survived, the register counts on.
  await d.ok('plug', '1');
  await d.ok('swipe', 'CARD1');
  await d.ok('ev', '1', 'charge');
  c = await d.conn(1);
  assert.equal(c.state, 'Charging');
  assert.ok(c.transaction_id > open[0].number, 'a new session number');
  await d.advance(600);
  c = await d.conn(1);
  near(c.energy_wh - regAfter, 3680, 0.01, 'register grows by the new session (10 min at 22 kW)');
  await d.ok('unplug', '1');

  const h2 = await d.history();
  checkHistoryShape(h2);
  assert.equal(h2.length, 2);
  const [n, old] = h2; // newest first
  assert.equal(old.stop_reason, 'PowerLoss');
  assert.equal(old.energy_wh, s.energy_wh, 'the recovered session is not changed again');
  assert.equal(n.stop_reason, 'EVDisconnected');
  assert.equal(n.start, '2026-01-01T01:00:00Z');
  near(n.energy_wh, 3680, 0.01, 'new session energy');
  const reg = (await d.conn(1)).energy_wh;
  near(reg, regAfter + n.energy_wh, 0.001, 'register = old register + new session');

  await d.stop();

  // And once more: a clean restart keeps the register.
  d = await t.start(at('2026-01-01T02:00:00Z'));
  assert.ok((await d.conn(1)).energy_wh >= reg, 'register kept across a clean restart');
  assert.equal((await d.history()).length, 2);
  await d.stop();
});
