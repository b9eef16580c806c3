// SPDX-License-Identifier: MIT
// Cold load pickup (A12): after a power loss (kill -9: evsed did not stop
// cleanly), charging waits a random 120 s to cold_load.max_delay before any
// current is offered (reason cold_load_pickup, LED "charging delayed"); after
// a clean stop (SIGTERM) it does not.
import { assert, run } from './lib.mjs';

const args = (ts) => [
  '--set', 'clock=sim', '--set', `clock.sim_start=${ts}`,
  '--set', 'auth.required=false',
  '--set', 'cold_load.max_delay=720', // the harness turns it off for other tests
];

run('cold_load', async (t) => {
  let d = await t.start(args('2026-01-01T00:00:00Z'));
  assert.doesNotMatch(d.stderr, /power loss/, 'a first start is not after a power loss');
  await d.ok('plug', '1');
  await d.ok('ev', '1', 'charge');
  assert.equal((await d.conn(1)).state, 'Charging');
  await d.advance(600);
  await d.killHard();

  // Power is back: the delay is drawn at start and holds every session.
  d = await t.start(args('2026-01-01T01:00:00Z'));
  const m = d.stderr.match(/started after a power loss: cold load pickup delay (\d+) s/);
  assert.ok(m, `the start after kill -9 is after a power loss:\n${d.stderr}`);
  const delay = Number(m[1]);
  assert.ok(delay >= 120 && delay <= 720, `cold load pickup delay ${delay} s`);
  await d.ok('plug', '1');
  await d.ok('ev', '1', 'charge');
  let c = await d.conn(1);
  assert.ok(c.transaction_id > 0, 'the session starts');
  assert.equal(c.offered_a, 0, JSON.stringify(c));
  assert.equal(c.limit_reason, 'cold_load_pickup');
  assert.equal(c.state, 'SuspendedEVSE');
  assert.equal(c.led, 'blue');
  await d.advance(delay - 1);
  c = await d.conn(1);
  assert.equal(c.limit_reason, 'cold_load_pickup', `1 s before the end: ${JSON.stringify(c)}`);
  await d.advance(1);
  c = await d.conn(1);
  assert.equal(c.state, 'Charging', `at the end of the delay: ${JSON.stringify(c)}`);
  assert.equal(c.offered_a, 32);

  // A clean stop: the next start charges at once.
  await d.stop();
  d = await t.start(args('2026-01-01T02:00:00Z'));
  assert.doesNotMatch(d.stderr, /power loss/, 'a start after SIGTERM is not after a power loss');
  await d.ok('plug', '1');
  await d.ok('ev', '1', 'charge');
  assert.equal((await d.conn(1)).state, 'Charging');
  await d.stop();
});
