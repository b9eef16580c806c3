// SPDX-License-Identifier: MIT
//
// OCTT TC_060_CS "Remote Start Transaction with Charging Profile - Rejected"
// (C8). RemoteStartTransaction whose chargingProfile is not a TxProfile
// (a TxDefaultProfile, a ChargePointMaxProfile), or a TxProfile naming a
// transactionId, is Rejected: with the EV plugged in, no transaction starts
// and no profile is installed.
import { run, assert, booted, none } from './lib/evsed.mjs';
import { composite, periodsOf, profile } from './lib/smart.mjs';

run('TC_060', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  await ev.plug(1);
  await csms.settle();
  const m = csms.mark();
  for (const chargingProfile of [
    profile({ id: 601, purpose: 'TxDefaultProfile', periods: [[0, 6]] }),
    profile({ id: 602, purpose: 'ChargePointMaxProfile', kind: 'Absolute', start: '2026-01-01T00:00:00Z', periods: [[0, 6]] }),
    profile({ id: 603, purpose: 'TxProfile', tx: 7, periods: [[0, 6]] }),
  ])
    assert.deepEqual(await csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'REMOTE1', chargingProfile }),
      { status: 'Rejected' }, chargingProfile.chargingProfilePurpose);
  await ev.advance(5);
  await csms.settle();
  none(csms, 'StartTransaction', m);
  assert.equal((await ev.conn(1)).state, 'Preparing');
  assert.deepEqual(periodsOf(await composite(csms, 0, 60)), [[0, 32]]);
  assert.deepEqual(periodsOf(await composite(csms, 1, 60)), [[0, 32]]);
  await ev.stop();
});
