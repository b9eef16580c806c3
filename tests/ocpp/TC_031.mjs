// SPDX-License-Identifier: MIT
//
// OCTT TC_031_CS "Unlock Connector - Unknown Connector" (C2).
// io7 has connectors 1 and 2: UnlockConnector for connector 3 (and 0)
// answers NotSupported, nothing else happens.
import { run, assert, booted } from './lib/evsed.mjs';

run('TC_031', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const m = csms.mark();
  assert.deepEqual(await csms.call('UnlockConnector', { connectorId: 3 }), { status: 'NotSupported' });
  assert.deepEqual(await csms.call('UnlockConnector', { connectorId: 0 }), { status: 'NotSupported' });
  await csms.settle();
  assert.equal(csms.since(m).length, 0, `nothing else: ${csms.summary(m)}`);
  await ev.stop();
});
