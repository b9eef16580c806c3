// SPDX-License-Identifier: MIT
// The installer limit (charger.current_limit, A6) is shared by the io7's two
// connectors: two EVs split it, one EV alone gets the hardware maximum, and
// below 2 x 6 A the later session pauses (an offer under 6 A is no offer).
import fs from 'node:fs';
import path from 'node:path';
import { assert, run, SIM } from './lib.mjs';

const EPS = 1e-6;

async function twoSessions(d) {
  await d.ok('card', 'add', 'CARD1');
  await d.ok('card', 'add', 'CARD2');
  await d.ok('plug', '1');
  await d.ok('swipe', 'CARD1');
  await d.ok('plug', '2');
  await d.ok('swipe', 'CARD2');
  const s = await d.status();
  assert.ok(s.connectors[0].transaction_id > 0 && s.connectors[1].transaction_id > 0,
    `two sessions: ${JSON.stringify(s.connectors)}`);
  assert.ok(s.connectors[0].transaction_id < s.connectors[1].transaction_id, 'connector 1 first');
}

function checkShare(s, limit) {
  const [a, b] = s.connectors;
  for (const c of [a, b]) {
    assert.ok(c.offered_a <= limit / 2 + EPS, `connector ${c.id} offered ${c.offered_a} A > ${limit / 2}`);
    assert.ok(c.offered_a >= 6, `connector ${c.id} offered ${c.offered_a} A: both must charge`);
    assert.equal(c.limit_reason, 'installer', `connector ${c.id} limit reason`);
    assert.equal(c.state, 'Charging', `connector ${c.id} state`);
    for (const i of c.current_a ?? [])
      assert.ok(i <= c.offered_a + 0.06 + EPS, `connector ${c.id} draws ${i} A over its offer`);
  }
  assert.ok(a.offered_a + b.offered_a <= limit + EPS, `sum ${a.offered_a + b.offered_a} A over ${limit} A`);
  const p = a.power_w + b.power_w;
  assert.ok(p <= limit * 230 * 3 + 1, `total power ${p} W over ${limit} A`);
}

run('two_connectors_share_limit', async (t) => {
  const d40 = path.join(t.dir, 'limit40');
  const d10 = path.join(t.dir, 'limit10');
  fs.mkdirSync(d40);
  fs.mkdirSync(d10);

  // --- 40 A shared by two EVs --------------------------------------------
  let d = await t.start([...SIM, '--set', 'charger.current_limit=40'], { dir: d40 });
  assert.equal(Number((await d.config('charger.current_limit')).value), 40);
  await twoSessions(d);
  await d.ok('ev', '1', 'charge');
  let c1 = await d.conn(1);
  assert.equal(c1.state, 'Charging');
  assert.equal(c1.offered_a, 32, 'alone, connector 1 gets the hardware maximum');
  assert.equal(c1.limit_reason, 'hardware');
  await d.ok('ev', '2', 'charge');
  let s = await d.status();
  checkShare(s, 40);
  await d.advance(600);
  s = await d.status();
  checkShare(s, 40);

  await d.ok('ev', '2', 'full');
  s = await d.status();
  [c1] = s.connectors;
  assert.equal(s.connectors[1].state, 'SuspendedEV');
  assert.equal(s.connectors[1].power_w, 0);
  assert.equal(c1.state, 'Charging');
  assert.equal(c1.offered_a, 32, `connector 2 stopped drawing: connector 1 gets 32 A (${JSON.stringify(c1)})`);
  assert.equal(c1.limit_reason, 'hardware');

  await d.ok('ev', '2', 'charge');
  checkShare(await d.status(), 40);
  await d.ok('ev', '1', 'full');
  const c2 = await d.conn(2);
  assert.equal(c2.offered_a, 32, 'and the other way round');
  assert.equal(c2.limit_reason, 'hardware');
  await d.stop();

  // --- 10 A: room for one EV only ------------------------------------------
  d = await t.start([...SIM, '--set', 'charger.current_limit=10'], { dir: d10 });
  await twoSessions(d);
  await d.ok('ev', '1', 'charge');
  await d.ok('ev', '2', 'charge');
  for (const step of [0, 300]) {
    if (step) await d.advance(step);
    s = await d.status();
    const [a, b] = s.connectors;
    assert.equal(a.state, 'Charging', `the first session charges: ${JSON.stringify(a)}`);
    assert.ok(a.offered_a >= 6 && a.offered_a <= 10 + EPS, `connector 1 offered ${a.offered_a} A`);
    assert.equal(a.limit_reason, 'installer');
    assert.equal(b.state, 'SuspendedEVSE', `the second pauses: ${JSON.stringify(b)}`);
    assert.equal(b.offered_a, 0, 'pause below 6 A: offered 0');
    assert.equal(b.power_w, 0);
    assert.equal(b.contactor ?? false, false, 'paused connector: contactor open');
  }
  // When the first EV leaves, the second gets the 10 A.
  await d.ok('unplug', '1');
  s = await d.status();
  assert.equal(s.connectors[1].state, 'Charging', `second charges once the first left: ${JSON.stringify(s.connectors[1])}`);
  assert.equal(s.connectors[1].offered_a, 10);
  assert.equal(s.connectors[1].limit_reason, 'installer');
  await d.stop();
});
