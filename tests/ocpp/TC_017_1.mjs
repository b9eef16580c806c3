// SPDX-License-Identifier: MIT
//
// OCTT TC_017_1_CS "Unlock connector - no charging session running (Not
// fixed cable)" (C2).
// io7 (sockets): UnlockConnector for connector 1 without a session answers
// Unlocked, with and without a cable in the socket; nothing else is sent.
import { run, assert, booted, none } from './lib/evsed.mjs';

run('TC_017_1', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  let m = csms.mark();
  assert.deepEqual(await csms.call('UnlockConnector', { connectorId: 1 }), { status: 'Unlocked' });
  await csms.settle();
  assert.equal(csms.since(m).length, 0, `nothing else: ${csms.summary(m)}`);

  await ev.plug(2);
  await csms.settle();
  m = csms.mark();
  assert.deepEqual(await csms.call('UnlockConnector', { connectorId: 2 }), { status: 'Unlocked' });
  await csms.settle();
  none(csms, 'StartTransaction', m);
  none(csms, 'StopTransaction', m);
  assert.equal((await ev.conn(2)).locked, false);
  await ev.stop();
});
