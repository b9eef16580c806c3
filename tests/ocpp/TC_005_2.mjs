// SPDX-License-Identifier: MIT
//
// OCTT TC_005_2_CS "EV Side Disconnected - StopTransactionOnEVSideDisconnect
// = true - UnlockConnectorOnEVSideDisconnect = false" (C2, A9).
// Charging; the EV leaves: StopTransaction reason EVDisconnected; the CSMS
// then unlocks the connector (UnlockConnector Unlocked).
// (The simulated EV takes its cable with it: see TC_005_1.)
import { run, assert, booted, charging, none } from './lib/evsed.mjs';

run('TC_005_2', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms, { args: ['--set', 'MinimumStatusDuration=0',
    '--set', 'StopTransactionOnEVSideDisconnect=true', '--set', 'UnlockConnectorOnEVSideDisconnect=false'] });
  await booted(csms, 2);
  const { tx } = await charging(ev, csms);
  await ev.advanceSteps(30, 30);

  let m = csms.mark();
  await ev.unplug(1);
  const stop = await csms.waitFor('StopTransaction', () => true, { since: m });
  assert.equal(stop.payload.transactionId, tx);
  assert.equal(stop.payload.reason, 'EVDisconnected');
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  await csms.settle();

  m = csms.mark();
  assert.deepEqual(await csms.call('UnlockConnector', { connectorId: 1 }), { status: 'Unlocked' });
  await csms.settle();
  none(csms, 'StopTransaction', m);
  assert.equal((await ev.conn(1)).locked, false);
  await ev.stop();
});
