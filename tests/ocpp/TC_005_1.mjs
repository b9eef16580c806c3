// SPDX-License-Identifier: MIT
//
// OCTT TC_005_1_CS "EV Side Disconnected - StopTransactionOnEVSideDisconnect
// = true - UnlockConnectorOnEVSideDisconnect = true" (C2, A9).
// Charging; the EV leaves: StopTransaction reason EVDisconnected with the
// energy delivered, the socket unlocks, and the connector becomes free.
// The simulated EV takes its cable with it ('evsectl unplug' is EV side and
// socket side at once), so the connector goes from Charging straight to
// Available (OCTT would see Finishing until the cable leaves the socket).
import { run, assert, booted, charging, statuses } from './lib/evsed.mjs';

run('TC_005_1', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms, { args: ['--set', 'MinimumStatusDuration=0',
    '--set', 'StopTransactionOnEVSideDisconnect=true', '--set', 'UnlockConnectorOnEVSideDisconnect=true'] });
  await booted(csms, 2);
  const { start, tx } = await charging(ev, csms);
  await ev.advanceSteps(60, 60);
  const energy = (await ev.conn(1)).energy_wh;

  const m = csms.mark();
  await ev.unplug(1);
  const stop = await csms.waitFor('StopTransaction', () => true, { since: m });
  assert.equal(stop.payload.transactionId, tx);
  assert.equal(stop.payload.reason, 'EVDisconnected');
  assert.equal(stop.payload.meterStop, Math.floor(energy));
  assert.ok(stop.payload.meterStop > start.payload.meterStart);
  const sn = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(sn.payload.status, 'Available');
  await csms.settle();
  const c = await ev.conn(1);
  assert.equal(c.locked, false, 'the socket is unlocked');
  assert.equal(c.transaction_id, null);
  assert.deepEqual(statuses(csms, 1, m), ['Available']);
  await ev.stop();
});
