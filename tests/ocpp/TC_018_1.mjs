// SPDX-License-Identifier: MIT
//
// OCTT TC_018_1_CS "Unlock Connector - With Charging Session (Not fixed
// cable)" (C2).
// io7, Charging: UnlockConnector answers Unlocked; the transaction stops
// (StopTransaction reason UnlockCommand, meterStop = the register),
// Finishing; the EV leaves: Available.
import { run, assert, booted, charging } from './lib/evsed.mjs';

run('TC_018_1', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const { tx } = await charging(ev, csms);
  await ev.advanceSteps(60, 60);
  const energy = (await ev.conn(1)).energy_wh;

  let m = csms.mark();
  assert.deepEqual(await csms.call('UnlockConnector', { connectorId: 1 }), { status: 'Unlocked' });
  const stop = await csms.waitFor('StopTransaction', () => true, { since: m });
  csms.assertAfterAnswer(stop);
  assert.equal(stop.payload.transactionId, tx);
  assert.equal(stop.payload.reason, 'UnlockCommand');
  assert.equal(stop.payload.meterStop, Math.floor(energy));
  const fin = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(fin.payload.status, 'Finishing');
  await csms.settle();
  const c = await ev.conn(1);
  assert.equal(c.locked, false, 'unlocked');
  assert.equal(c.contactor, false, 'no power after the unlock');

  m = csms.mark();
  await ev.unplug(1);
  const av = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(av.payload.status, 'Available');
  await ev.stop();
});
