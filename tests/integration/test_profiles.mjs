// SPDX-License-Identifier: MIT
// Product profiles (P1): mq200 (one tethered J1772 connector, hardware
// maximum from the DIP switches read at boot) and evplus (one socket, a
// local card list of 3).
import fs from 'node:fs';
import path from 'node:path';
import { assert, run, SIM } from './lib.mjs';

function sub(t, name) {
  const d = path.join(t.dir, name);
  fs.mkdirSync(d);
  return d;
}

async function chargeOne(d) {
  await d.ok('card', 'add', 'CARD1');
  await d.ok('plug', '1');
  await d.ok('swipe', 'CARD1');
  await d.ok('ev', '1', 'charge');
  const c = await d.conn(1);
  assert.equal(c.state, 'Charging', JSON.stringify(c));
  return c;
}

run('profiles', async (t) => {
  // --- mq200, DIP switches at their default 110: 50 A --------------------
  let d = await t.start([...SIM, '--set', 'profile=mq200'], { dir: sub(t, 'mq200') });
  let s = await d.status();
  assert.equal(s.profile, 'mq200');
  assert.equal(s.connectors.length, 1, 'mq200 has one connector');
  assert.equal((await d.config('sim.dip')).value, '110');
  assert.equal(Number((await d.config('NumberOfConnectors')).value), 1);
  await d.fails(1, /connector/, 'plug', '2');
  let c = await chargeOne(d);
  assert.equal(c.offered_a, 50, `DIP 110 -> 50 A: ${JSON.stringify(c)}`);
  assert.equal(c.limit_reason, 'hardware');
  assert.equal(c.cable_a, 50, 'the tethered cable is rated for the charger');
  await d.ok('unplug', '1');

  // Tethered: the cable belongs to the charger, so a simulated cable rating
  // (PP) either is refused or has no effect.
  const r = await d.ctl('plug', '1', '--cable', '13');
  if (r.code === 0) {
    await d.ok('swipe', 'CARD1');
    await d.ok('ev', '1', 'charge');
    c = await d.conn(1);
    assert.equal(c.offered_a, 50, `tethered: --cable 13 must not limit the offer (${JSON.stringify(c)})`);
    assert.equal(c.cable_a, 50);
  } else {
    assert.ok(r.code === 1 || r.code === 2, `plug --cable on a tethered charger: exit ${r.code}`);
  }
  await d.stop();

  // --- mq200, DIP 011: 24 A -------------------------------------------------
  d = await t.start([...SIM, '--set', 'profile=mq200', '--set', 'sim.dip=011'], { dir: sub(t, 'mq200-dip011') });
  c = await chargeOne(d);
  assert.equal(c.offered_a, 24, `DIP 011 -> 24 A: ${JSON.stringify(c)}`);
  assert.equal(c.limit_reason, 'hardware');
  await d.advance(3600);
  c = await d.conn(1);
  assert.ok(Math.abs(c.energy_wh - 24 * 240) < 24 * 240 * 0.01,
    `one hour at 24 A x 240 V (split phase): ${c.energy_wh} Wh`);
  await d.stop();

  // --- evplus: one socket, three cards ----------------------------------
  d = await t.start([...SIM, '--set', 'profile=evplus'], { dir: sub(t, 'evplus') });
  s = await d.status();
  assert.equal(s.profile, 'evplus');
  assert.equal(s.connectors.length, 1, 'evplus has one connector');
  for (const uid of ['CARD1', 'CARD2', 'CARD3']) await d.ok('card', 'add', uid);
  await d.fails(1, /full/, 'card', 'add', 'CARD4');
  const list = await d.json('card', 'list');
  assert.deepEqual([...list.cards].sort(), ['CARD1', 'CARD2', 'CARD3'], 'the 4th card was not added');
  await d.fails(1, /not authori[sz]ed/, 'swipe', 'CARD4');
  await d.ok('card', 'remove', 'CARD2');
  await d.ok('card', 'add', 'CARD4');
  await d.ok('plug', '1');
  await d.ok('swipe', 'CARD4');
  await d.ok('ev', '1', 'charge');
  c = await d.conn(1);
  assert.equal(c.state, 'Charging');
  assert.equal(c.offered_a, 32);
  await d.stop();
});
