// SPDX-License-Identifier: MIT
//
// OCTT TC_066_CS "Get Composite Schedule" (C8). Charging on connector 1;
// three profiles: a ChargePointMaxProfile on connector 0 (10 A for a day), a
// TxDefaultProfile on connector 1 (6 A) and a TxProfile for the transaction
// (8 A, then 12 A after 100 s, for 260 s). GetCompositeSchedule for 400 s:
// min(ChargePointMax, TxProfile or else TxDefault) = 8 A, 10 A from 100 s,
// 6 A from 260 s; the same in W (230 V, 3 phases); connector 0 reports the
// ChargePointMaxProfile; an unknown connector is Rejected.
import { run, assert, booted, charging } from './lib/evsed.mjs';
import { at, composite, offer, periodsOf, profile, setProfile } from './lib/smart.mjs';

run('TC_066', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const { tx } = await charging(ev, csms, { conn: 1 });
  assert.equal(await setProfile(csms, 0, profile({
    id: 661, purpose: 'ChargePointMaxProfile', kind: 'Absolute', start: at(csms), duration: 86400,
    periods: [[0, 10, 3]],
  })), 'Accepted');
  assert.equal(await setProfile(csms, 1, profile({
    id: 662, purpose: 'TxDefaultProfile', kind: 'Absolute', start: at(csms), duration: 86400,
    periods: [[0, 6, 3]],
  })), 'Accepted');
  assert.equal(await setProfile(csms, 1, profile({
    id: 663, purpose: 'TxProfile', kind: 'Absolute', tx, start: at(csms), duration: 260,
    periods: [[0, 8, 3], [100, 12, 3]],
  })), 'Accepted');
  assert.deepEqual(await offer(ev, 1), [8, 'schedule']);

  const a = await composite(csms, 1, 400, 'A');
  assert.deepEqual(periodsOf(a), [[0, 8], [100, 10], [260, 6]]);
  assert.ok(a.chargingSchedule.chargingSchedulePeriod.every((p) => p.numberPhases === 3));
  const w = await composite(csms, 1, 400, 'W');
  assert.deepEqual(periodsOf(w), [[0, 5520], [100, 6900], [260, 4140]]);
  assert.deepEqual(periodsOf(await composite(csms, 0, 400, 'A')), [[0, 10]]);
  assert.deepEqual(periodsOf(await composite(csms, 2, 400, 'A')), [[0, 10]]);
  assert.deepEqual(await csms.call('GetCompositeSchedule', { connectorId: 3, duration: 400 }), { status: 'Rejected' });

  await ev.advance(100);
  assert.deepEqual(await offer(ev, 1), [10, 'schedule']);
  await ev.advance(160);
  assert.deepEqual(await offer(ev, 1), [6, 'schedule']);
  await ev.stop();
});
