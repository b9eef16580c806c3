// SPDX-License-Identifier: MIT
//
// OCTT TC_012_CS "Remote Stop Charging Session" (C2).
// Charging; RemoteStopTransaction with the transactionId: Accepted,
// StopTransaction reason Remote (meterStop = the register), Finishing;
// the EV leaves: Available.
import { run, assert, booted, charging, statuses } from './lib/evsed.mjs';

run('TC_012', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const { tx, since } = await charging(ev, csms);
  await ev.advanceSteps(60, 60);
  const energy = (await ev.conn(1)).energy_wh;

  let m = csms.mark();
  assert.deepEqual(await csms.call('RemoteStopTransaction', { transactionId: tx }), { status: 'Accepted' });
  const stop = await csms.waitFor('StopTransaction', () => true, { since: m });
  assert.equal(stop.payload.transactionId, tx);
  assert.equal(stop.payload.reason, 'Remote');
  assert.equal(stop.payload.meterStop, Math.floor(energy));
  const fin = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(fin.payload.status, 'Finishing');
  await csms.settle();
  assert.equal((await ev.history())[0].stop_reason, 'Remote');

  m = csms.mark();
  await ev.unplug(1);
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Available', { since: m });
  assert.deepEqual(statuses(csms, 1, since), ['Preparing', 'Charging', 'Finishing', 'Available']);
  await ev.stop();
});
