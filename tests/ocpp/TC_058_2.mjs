// SPDX-License-Identifier: MIT
//
// OCTT TC_058_2_CS "Central Smart Charging - Wrong transactionId" (C8).
// Charging on connector 1: a TxProfile naming another transactionId is
// Rejected and changes nothing; so is one for connector 2, where no
// transaction runs. The same profile with the right transactionId is
// Accepted.
import { run, assert, booted, charging } from './lib/evsed.mjs';
import { composite, offer, periodsOf, profile, setProfile } from './lib/smart.mjs';

run('TC_058_2', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const { tx } = await charging(ev, csms, { conn: 1 });
  const p = (id) => profile({ id: 582, purpose: 'TxProfile', tx: id, periods: [[0, 6]] });
  assert.equal(await setProfile(csms, 1, p(tx + 1)), 'Rejected');
  assert.equal(await setProfile(csms, 2, p(tx)), 'Rejected');
  assert.deepEqual(await offer(ev, 1), [32, 'hardware']);
  assert.deepEqual(periodsOf(await composite(csms, 1, 60)), [[0, 32]]);
  assert.equal(await setProfile(csms, 1, p(tx)), 'Accepted');
  assert.deepEqual(await offer(ev, 1), [6, 'schedule']);
  await ev.stop();
});
