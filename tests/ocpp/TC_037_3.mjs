// SPDX-License-Identifier: MIT
//
// OCTT TC_037_3_CS "Offline Start Transaction - Invalid IdTag -
// StopTransactionOnInvalidId = false" (B3, C5).
// As TC_037_2 with StopTransactionOnInvalidId false and
// MaxEnergyOnInvalidId 0: the transaction is not stopped but the EV gets
// no more energy (StatusNotification SuspendedEVSE); it ends normally when
// the EV leaves (StopTransaction reason EVDisconnected).
import { run, assert, none } from './lib/evsed.mjs';
import { offlineStartRefused } from './lib/offline.mjs';

run('TC_037_3', async (t) => {
  const { csms, ev, m } = await offlineStartRefused(t, 'false');
  const sus = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'SuspendedEVSE', { since: m });
  await csms.settle();
  none(csms, 'StopTransaction', m);
  const e0 = (await ev.conn(1)).energy_wh;
  await ev.advanceSteps(60, 60);
  const c = await ev.conn(1);
  assert.equal(c.energy_wh, e0, 'no energy after the refusal');
  assert.equal(c.state, 'SuspendedEVSE');
  assert.equal(c.transaction_id, 41);
  assert.ok(sus.n > 0);
  const m2 = csms.mark();
  await ev.unplug(1);
  const stop = await csms.waitFor('StopTransaction', () => true, { since: m2 });
  assert.equal(stop.payload.transactionId, 41);
  assert.equal(stop.payload.reason, 'EVDisconnected');
  assert.equal(stop.payload.meterStop, Math.floor(e0));
  await ev.stop();
});
