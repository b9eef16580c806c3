// SPDX-License-Identifier: MIT
//
// OCTT TC_030_CS "Unlock Connector - Unlock Failure" (C2, C11).
// io7, a cable in socket 1 whose lock is broken (simulated fault 'lock'):
// the connector reports Faulted / ConnectorLockFailure and UnlockConnector
// answers UnlockFailed. With the fault cleared it answers Unlocked and the
// connector is no longer Faulted.
import { run, assert, booted } from './lib/evsed.mjs';

run('TC_030', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  await ev.plug(1);
  await csms.settle();

  let m = csms.mark();
  await ev.fault('lock', true, 1);
  const f = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(f.payload.status, 'Faulted');
  assert.equal(f.payload.errorCode, 'ConnectorLockFailure');
  await csms.settle();
  assert.deepEqual(await csms.call('UnlockConnector', { connectorId: 1 }), { status: 'UnlockFailed' });

  m = csms.mark();
  await ev.fault('lock', false, 1);
  const ok = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(ok.payload.errorCode, 'NoError');
  assert.equal(ok.payload.status, 'Preparing');
  await csms.settle();
  assert.deepEqual(await csms.call('UnlockConnector', { connectorId: 1 }), { status: 'Unlocked' });
  await ev.stop();
});
