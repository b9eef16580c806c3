// SPDX-License-Identifier: MIT
//
// OCTT TC_067_CS "Clear Charging Profile" (C8). Charging on connector 1;
// three profiles set (a ChargePointMaxProfile on connector 0, a
// TxDefaultProfile on connector 1, a TxProfile for the transaction), each
// Accepted. ClearChargingProfile by id, then by criteria (connector,
// purpose, stack level), then with no criteria (all that remain): each
// Accepted and each felt at once in the offer; once nothing is left, a
// clear is Unknown, and so is one whose criteria match nothing.
import { run, assert, booted, charging } from './lib/evsed.mjs';
import { at, composite, offer, periodsOf, profile, setProfile } from './lib/smart.mjs';

run('TC_067', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const { tx } = await charging(ev, csms, { conn: 1 });
  assert.equal(await setProfile(csms, 0, profile({
    id: 671, purpose: 'ChargePointMaxProfile', kind: 'Absolute', stack: 1, start: at(csms), periods: [[0, 20]],
  })), 'Accepted');
  assert.equal(await setProfile(csms, 1, profile({ id: 672, stack: 2, periods: [[0, 14]] })), 'Accepted');
  assert.equal(await setProfile(csms, 1, profile({ id: 673, purpose: 'TxProfile', tx, periods: [[0, 7]] })), 'Accepted');
  assert.deepEqual(await offer(ev, 1), [7, 'schedule']);

  const clear = async (req) => (await csms.call('ClearChargingProfile', req)).status;
  assert.equal(await clear({ id: 673 }), 'Accepted');
  assert.deepEqual(await offer(ev, 1), [14, 'schedule']);
  assert.equal(await clear({ connectorId: 1, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 3 }), 'Unknown');
  assert.equal(await clear({ connectorId: 1, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 2 }), 'Accepted');
  assert.deepEqual(await offer(ev, 1), [20, 'schedule']);
  assert.equal(await clear({}), 'Accepted');
  assert.deepEqual(await offer(ev, 1), [32, 'hardware']);
  assert.deepEqual(periodsOf(await composite(csms, 1, 60)), [[0, 32]]);
  assert.equal(await clear({}), 'Unknown');
  assert.equal(await clear({ id: 671 }), 'Unknown');
  await ev.stop();
});
