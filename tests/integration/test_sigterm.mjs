// SPDX-License-Identifier: MIT
// SIGTERM while charging: evsed stops cleanly within 2 s with exit 0, ending
// the session as Reboot (a clean stop, not a power loss) with its energy.
import { assert, run, near } from './lib.mjs';

const at = (ts) => ['--set', 'clock=sim', '--set', `clock.sim_start=${ts}`];

run('sigterm', async (t) => {
  let d = await t.start(at('2026-01-01T00:00:00Z'));
  await d.ok('card', 'add', 'CARD1');
  await d.ok('plug', '1');
  await d.ok('swipe', 'CARD1');
  await d.ok('ev', '1', 'charge');
  await d.advance(900);
  const before = await d.conn(1);
  assert.equal(before.state, 'Charging');
  near(before.energy_wh, 5520, 0.01, '15 min at 22 kW');

  await d.stop(); // SIGTERM -> exit 0 within 2 s (asserted by stop())
  assert.doesNotMatch(d.stderr, /AddressSanitizer|LeakSanitizer|runtime error/, 'sanitizer report on stop');

  d = await t.start(at('2026-01-01T01:00:00Z'));
  const h = await d.history();
  assert.equal(h.length, 1, JSON.stringify(h));
  const s = h[0];
  assert.equal(s.stop_reason, 'Reboot', `a clean stop ends the session as Reboot: ${JSON.stringify(s)}`);
  assert.notEqual(s.stop_reason, 'PowerLoss');
  assert.equal(s.start, '2026-01-01T00:00:00Z');
  assert.equal(s.end, '2026-01-01T00:15:00Z', 'ended at the stop');
  assert.equal(s.id_tag, 'CARD1');
  assert.equal(s.start_mode, 'rfid');
  assert.equal(typeof s.stop_mode, 'string');
  near(s.energy_wh, before.energy_wh, 0.001, 'all the energy up to the stop');
  assert.doesNotMatch(d.stderr, /power loss/i, 'no power-loss recovery after a clean stop');

  const c = await d.conn(1);
  assert.ok(c.energy_wh >= before.energy_wh, 'register kept');
  assert.equal(c.transaction_id, null);
  assert.equal(c.state, 'Available');

  // SIGINT (Ctrl-C) when idle: the same clean stop.
  await d.stop('SIGINT');
});
