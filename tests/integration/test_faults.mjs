// SPDX-License-Identifier: MIT
// Faults (A2 / A4): a fault during charging opens the contactor at once and
// shows Faulted; clearing it resumes the session. A socket lock that fails
// before a session keeps the connector de-energised until it is cleared.
import fs from 'node:fs';
import path from 'node:path';
import { assert, run, SIM } from './lib.mjs';

function sub(t, name) {
  const d = path.join(t.dir, name);
  fs.mkdirSync(d);
  return d;
}

function deenergised(c, what) {
  assert.notEqual(c.state, 'Charging', `${what}: ${JSON.stringify(c)}`);
  assert.equal(c.offered_a, 0, `${what}: offered`);
  assert.equal(c.power_w, 0, `${what}: power`);
  if ('contactor' in c) assert.equal(c.contactor, false, `${what}: contactor`);
  for (const i of c.current_a ?? []) assert.equal(i, 0, `${what}: current`);
}

run('faults', async (t) => {
  // --- overcurrent while charging ------------------------------------------
  let d = await t.start(SIM, { dir: sub(t, 'overcurrent') });
  await d.ok('card', 'add', 'CARD1');
  await d.ok('plug', '1');
  await d.ok('swipe', 'CARD1');
  await d.ok('ev', '1', 'charge');
  await d.advance(600);
  let c = await d.conn(1);
  assert.equal(c.state, 'Charging');
  const tx = c.transaction_id;

  await d.ok('fault', 'overcurrent', 'on');
  c = await d.conn(1);
  assert.equal(c.state, 'Faulted');
  assert.ok(c.faults.includes('overcurrent'), `faults: ${JSON.stringify(c.faults)}`);
  deenergised(c, 'overcurrent');
  const e1 = c.energy_wh;
  await d.advance(600);
  c = await d.conn(1);
  assert.equal(c.state, 'Faulted', 'the fault stays until cleared');
  assert.equal(c.energy_wh, e1, 'no energy while faulted');
  deenergised(c, 'overcurrent, 10 min later');
  const other = await d.conn(2);
  assert.equal(other.state, 'Available', 'a connector fault does not affect connector 2');
  assert.deepEqual(other.faults, []);

  await d.ok('fault', 'overcurrent', 'off');
  // A11 (MQ200 9.4.2): over-current restarts after 30 s of recovery.
  c = await d.conn(1);
  deenergised(c, 'overcurrent recovering');
  assert.ok(c.faults.includes('overcurrent'), 'still reported while recovering');
  await d.advance(29);
  deenergised(await d.conn(1), 'overcurrent, 29 s into recovery');
  await d.advance(1);
  c = await d.conn(1);
  assert.equal(c.state, 'Charging', `charging resumes: ${JSON.stringify(c)}`);
  assert.deepEqual(c.faults, []);
  assert.equal(c.offered_a, 32);
  assert.ok(c.power_w > 20000);
  assert.equal(c.transaction_id, tx, 'the same session resumes');
  await d.advance(570);
  assert.ok((await d.conn(1)).energy_wh > e1, 'energy counts again');
  await d.ok('unplug', '1');
  const h = await d.history();
  assert.equal(h.length, 1);
  const want = (22080 * 19.5) / 60; // 10 min + 9.5 min of charging
  assert.ok(Math.abs(h[0].energy_wh - want) < want * 0.01,
    `19.5 min of charging, 10.5 min faulted: ${h[0].energy_wh} Wh`);
  await d.stop();

  // --- a charger-wide fault stops both connectors -----------------------------
  d = await t.start([...SIM, '--set', 'auth.required=false'], { dir: sub(t, 'charger-wide') });
  await d.ok('plug', '1');
  await d.ok('plug', '2');
  await d.ok('ev', '1', 'charge');
  await d.ok('ev', '2', 'charge');
  let st = await d.status();
  assert.ok(st.connectors.every((x) => x.state === 'Charging'), JSON.stringify(st.connectors));
  await d.ok('fault', 'overvoltage', 'on');
  st = await d.status();
  for (const x of st.connectors) {
    assert.equal(x.state, 'Faulted', `connector ${x.id}`);
    assert.ok(x.faults.includes('overvoltage'));
    deenergised(x, `overvoltage, connector ${x.id}`);
  }
  await d.ok('fault', 'overvoltage', 'off');
  st = await d.status();
  assert.ok(st.connectors.every((x) => x.state === 'Charging'), `both resume: ${JSON.stringify(st.connectors)}`);
  await d.stop();

  // --- socket lock failure before a session ----------------------------------
  d = await t.start(SIM, { dir: sub(t, 'lock') });
  await d.ok('card', 'add', 'CARD1');
  await d.ok('fault', 'lock', 'on');
  await d.ok('plug', '1');
  await d.ok('swipe', 'CARD1');
  await d.ok('ev', '1', 'charge');
  c = await d.conn(1);
  deenergised(c, 'lock fault');
  assert.equal(c.locked ?? false, false, 'the lock did not engage');
  await d.advance(20);
  c = await d.conn(1);
  deenergised(c, 'lock fault, 20 s later');
  assert.equal(c.energy_wh, 0);

  await d.ok('fault', 'lock', 'off');
  c = await d.conn(1);
  if (c.transaction_id === null) {
    // The card did not start a session on a faulted connector: present it again.
    await d.ok('swipe', 'CARD1');
    c = await d.conn(1);
  }
  assert.equal(c.state, 'Charging', `charging once the lock works: ${JSON.stringify(c)}`);
  assert.equal(c.id_tag, 'CARD1');
  assert.equal(c.locked ?? true, true, 'locked while charging');

  // One card presentation authorises one session: nothing is left pending
  // that would start a second session with the same card on connector 2.
  await d.advance(10);
  assert.ok((await d.conn(1)).energy_wh > 0);
  const s = await d.status();
  assert.equal(s.pending_authorization, null,
    `CARD1 is charging on connector 1 but still pending for another EV: ${JSON.stringify(s.pending_authorization)}`);
  await d.ok('plug', '2');
  c = await d.conn(2);
  assert.equal(c.transaction_id, null, `plug 2 started a second session with CARD1: ${JSON.stringify(c)}`);
  assert.equal(c.state, 'Preparing');
  await d.stop();

});
