// SPDX-License-Identifier: MIT
//
// OCTT TC_018_2_CS "Unlock Connector - With Charging Session (Fixed cable)"
// (C2).
// mq200 (tethered cable), Charging: UnlockConnector answers NotSupported and
// the transaction goes on (no StopTransaction, still Charging).
import { run, assert, booted, charging, none } from './lib/evsed.mjs';

run('TC_018_2', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms, { profile: 'mq200', args: ['--set', 'MinimumStatusDuration=0'] });
  await booted(csms, 1);
  const { tx } = await charging(ev, csms);

  const m = csms.mark();
  assert.deepEqual(await csms.call('UnlockConnector', { connectorId: 1 }), { status: 'NotSupported' });
  await ev.advanceSteps(60, 60);
  none(csms, 'StopTransaction', m);
  none(csms, 'StatusNotification', m);
  const c = await ev.conn(1);
  assert.equal(c.state, 'Charging');
  assert.equal(c.transaction_id, tx);
  await ev.stop();
});
