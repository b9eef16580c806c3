// SPDX-License-Identifier: MIT
//
// OCTT TC_028_CS "Remote Stop Transaction - Rejected" (C2).
// Charging: RemoteStopTransaction for a transactionId that is not running
// is Rejected and the real transaction goes on.
import { run, assert, booted, charging, none } from './lib/evsed.mjs';

run('TC_028', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const { tx } = await charging(ev, csms);

  const m = csms.mark();
  assert.deepEqual(await csms.call('RemoteStopTransaction', { transactionId: tx + 1000 }), { status: 'Rejected' });
  await ev.advanceSteps(30, 30);
  none(csms, 'StopTransaction', m);
  const c = await ev.conn(1);
  assert.equal(c.state, 'Charging');
  assert.equal(c.transaction_id, tx);
  await ev.stop();
});
