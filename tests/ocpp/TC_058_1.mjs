// SPDX-License-Identifier: MIT
//
// OCTT TC_058_1_CS "Central Smart Charging - No ongoing transaction" (C8).
// No transaction runs: a TxProfile (with a transactionId, and also without
// one) is Rejected and nothing is installed: the composite schedule shows
// no limit, and a later session on the connector is not limited by it.
import { run, assert, booted, charging } from './lib/evsed.mjs';
import { composite, offer, periodsOf, profile, setProfile } from './lib/smart.mjs';

run('TC_058_1', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  for (const tx of [1, undefined]) {
    const p = profile({ id: 581, purpose: 'TxProfile', tx, periods: [[0, 6]] });
    assert.equal(await setProfile(csms, 1, p), 'Rejected');
  }
  assert.deepEqual(periodsOf(await composite(csms, 1, 600)), [[0, 32]]);
  await charging(ev, csms, { conn: 1 });
  assert.deepEqual(await offer(ev, 1), [32, 'hardware']);
  await ev.stop();
});
