// SPDX-License-Identifier: MIT
//
// OCTT TC_005_3_CS "EV Side Disconnected - StopTransactionOnEVSideDisconnect
// = false - UnlockConnectorOnEVSideDisconnect = false" (C2, A9).
// Charging; the EV leaves: the transaction goes on (StatusNotification
// SuspendedEV, no StopTransaction, no energy). The CSMS stops it
// remotely: RemoteStopTransaction Accepted, StopTransaction reason Remote
// with the energy of the session, then the connector is free.
import { run, assert, booted, charging, none } from './lib/evsed.mjs';

run('TC_005_3', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms, { args: ['--set', 'MinimumStatusDuration=0',
    '--set', 'StopTransactionOnEVSideDisconnect=false', '--set', 'UnlockConnectorOnEVSideDisconnect=false'] });
  await booted(csms, 2);
  const { tx } = await charging(ev, csms);
  await ev.advanceSteps(60, 60);
  const energy = (await ev.conn(1)).energy_wh;

  let m = csms.mark();
  await ev.unplug(1);
  const sn = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(sn.payload.status, 'SuspendedEV');
  await ev.advanceSteps(60, 60);
  none(csms, 'StopTransaction', m, () => true, 'the transaction goes on without the EV');
  const c = await ev.conn(1);
  assert.equal(c.transaction_id, tx);
  assert.equal(c.energy_wh, energy, 'no energy without an EV');

  m = csms.mark();
  assert.deepEqual(await csms.call('RemoteStopTransaction', { transactionId: tx }), { status: 'Accepted' });
  const stop = await csms.waitFor('StopTransaction', () => true, { since: m });
  assert.equal(stop.payload.transactionId, tx);
  assert.equal(stop.payload.reason, 'Remote');
  assert.equal(stop.payload.meterStop, Math.floor(energy));
  const after = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(after.payload.status, 'Available');
  await ev.stop();
});
