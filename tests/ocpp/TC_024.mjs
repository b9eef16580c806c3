// SPDX-License-Identifier: MIT
//
// OCTT TC_024_CS "Start Charging Session - Lock Failure" (C2, C11, A4).
// io7 socket 1 with a lock that fails (simulated fault 'lock'):
// RemoteStartTransaction for connector 1 Accepted, Preparing; the EV plugs
// in and the lock cannot close: StatusNotification Faulted with errorCode
// ConnectorLockFailure, no energy, and no transaction is started (OCTT: "does
// not start a transaction when it occurs").
import { run, assert, booted, none } from './lib/evsed.mjs';

run('TC_024', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const cfg = await csms.call('GetConfiguration', { key: ['AuthorizeRemoteTxRequests'] });
  assert.equal(cfg.configurationKey[0].key, 'AuthorizeRemoteTxRequests');

  let m = csms.mark();
  assert.deepEqual(await csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'REMOTE1' }),
    { status: 'Accepted' });
  const prep = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(prep.payload.status, 'Preparing');
  await csms.settle();

  m = csms.mark();
  await ev.ok('fault', 'lock', 'on', '1'); // the lock will not close
  await ev.plug(1);
  await ev.ev(1, 'charge');
  const f = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Faulted', { since: m });
  assert.equal(f.payload.errorCode, 'ConnectorLockFailure');
  await csms.settle();
  const c = await ev.conn(1);
  assert.equal(c.contactor, false, 'no power without the lock');
  assert.equal(c.energy_wh, 0);
  none(csms, 'StartTransaction', 0, () => true, 'the lock failed: no transaction');
  await ev.stop();
});
