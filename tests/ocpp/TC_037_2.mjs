// SPDX-License-Identifier: MIT
//
// OCTT TC_037_2_CS "Offline Start Transaction - Invalid IdTag -
// StopTransactionOnInvalidId = true" (B3, C5).
// AllowOfflineTxForUnknownId true: offline, an unknown card starts a
// transaction. Back online the CSMS answers its StartTransaction with
// idTagInfo Invalid: the charge point stops it at once (StopTransaction
// reason DeAuthorized, the transactionId the CSMS gave, meterStop = the
// register), the EV gets no more energy, Finishing.
import { run, assert } from './lib/evsed.mjs';
import { offlineStartRefused } from './lib/offline.mjs';

run('TC_037_2', async (t) => {
  const { csms, ev, m } = await offlineStartRefused(t, 'true');
  const stop = await csms.waitFor('StopTransaction', () => true, { since: m });
  assert.equal(stop.payload.transactionId, 41);
  assert.equal(stop.payload.reason, 'DeAuthorized');
  const energy = (await ev.conn(1)).energy_wh;
  assert.equal(stop.payload.meterStop, Math.floor(energy));
  assert.ok(energy > 100, 'it charged while offline');
  const fin = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Finishing', { since: m });
  assert.ok(fin.n > stop.n);
  await csms.settle();
  const c = await ev.conn(1);
  assert.equal(c.contactor, false);
  assert.equal(c.transaction_id, null);
  assert.equal((await ev.history())[0].stop_reason, 'DeAuthorized');
  await ev.stop();
});
