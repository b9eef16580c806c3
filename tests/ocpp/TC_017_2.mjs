// SPDX-License-Identifier: MIT
//
// OCTT TC_017_2_CS "Unlock connector - no charging session running (Fixed
// cable)" (C2).
// mq200 (tethered J1772 cable): UnlockConnector answers NotSupported.
import { run, assert, booted } from './lib/evsed.mjs';

run('TC_017_2', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms, { profile: 'mq200' });
  await booted(csms, 1);
  const m = csms.mark();
  assert.deepEqual(await csms.call('UnlockConnector', { connectorId: 1 }), { status: 'NotSupported' });
  await csms.settle();
  assert.equal(csms.since(m).length, 0, `nothing else: ${csms.summary(m)}`);
  await ev.stop();
});
