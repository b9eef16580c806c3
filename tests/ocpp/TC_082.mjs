// SPDX-License-Identifier: MIT
//
// TC_082 (C8; module 23 of the OCTT list; evsed's reading, the test case
// text was not at hand): profiles for connector 0. A ChargePointMaxProfile
// there limits the charger as a whole: two EVs charging on the io7 share its
// 16 A (8 A each, limit reason "schedule"), and a TxDefaultProfile for
// connector 0 applies to every connector. A TxProfile for connector 0, or a
// ChargePointMaxProfile for connector 1, is Rejected.
import { run, assert, booted, charging } from './lib/evsed.mjs';
import { at, composite, offer, periodsOf, profile, setProfile } from './lib/smart.mjs';

run('TC_082', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const { tx } = await charging(ev, csms, { conn: 1 });
  await charging(ev, csms, { conn: 2, idTag: 'CARD2' });
  assert.deepEqual(await offer(ev, 1), [16, 'installer']);
  const max = () => profile({ id: 821, purpose: 'ChargePointMaxProfile', kind: 'Absolute', start: at(csms), periods: [[0, 16]] });
  assert.equal(await setProfile(csms, 1, max()), 'Rejected');
  assert.equal(await setProfile(csms, 0, profile({ id: 822, purpose: 'TxProfile', tx, periods: [[0, 6]] })), 'Rejected');
  assert.equal(await setProfile(csms, 0, max()), 'Accepted');
  assert.deepEqual(await offer(ev, 1), [8, 'schedule']);
  assert.deepEqual(await offer(ev, 2), [8, 'schedule']);
  assert.deepEqual(periodsOf(await composite(csms, 0, 60)), [[0, 16]]);

  assert.equal(await setProfile(csms, 0, profile({ id: 823, periods: [[0, 6]] })), 'Accepted');
  assert.deepEqual(await offer(ev, 1), [6, 'schedule']);
  assert.deepEqual(await offer(ev, 2), [6, 'schedule']);
  assert.equal((await csms.call('ClearChargingProfile', { connectorId: 0 })).status, 'Accepted');
  assert.deepEqual(await offer(ev, 1), [16, 'installer']);
  await ev.stop();
});
