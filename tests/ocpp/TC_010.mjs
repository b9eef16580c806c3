// SPDX-License-Identifier: MIT
//
// OCTT TC_010_CS "Remote Start Charging Session - Cable Plugged in First"
// (C2, B3).
// AuthorizeRemoteTxRequests is read (GetConfiguration) and set to true.
// The EV plugs in (Preparing); RemoteStartTransaction for connector 1 is
// Accepted; the charge point authorizes the idTag first (Authorize), then
// StartTransaction with that idTag on connector 1 and Charging. A remote
// idTag the Authorize refuses starts nothing (connector 2).
import { run, assert, booted, statuses, none } from './lib/evsed.mjs';

run('TC_010', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const cfg = await csms.call('GetConfiguration', { key: ['AuthorizeRemoteTxRequests'] });
  assert.deepEqual(cfg.configurationKey, [{ key: 'AuthorizeRemoteTxRequests', readonly: false, value: 'false' }]);
  assert.deepEqual(await csms.call('ChangeConfiguration', { key: 'AuthorizeRemoteTxRequests', value: 'true' }),
    { status: 'Accepted' });

  let m = csms.mark();
  await ev.plug(1);
  await ev.ev(1, 'charge');
  const prep = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(prep.payload.status, 'Preparing');
  await csms.settle();

  m = csms.mark();
  assert.deepEqual(await csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'REMOTE1' }),
    { status: 'Accepted' });
  const auth = await csms.waitFor('Authorize', () => true, { since: m });
  assert.equal(auth.payload.idTag, 'REMOTE1');
  const start = await csms.waitFor('StartTransaction', () => true, { since: m });
  assert.ok(start.n > auth.n, 'Authorize first (AuthorizeRemoteTxRequests = true)');
  assert.equal(start.payload.idTag, 'REMOTE1');
  assert.equal(start.payload.connectorId, 1);
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Charging', { since: m });
  await csms.settle();
  assert.deepEqual(statuses(csms, 1), ['Available', 'Preparing', 'Charging']);
  assert.equal((await ev.conn(1)).transaction_id, start.answer.transactionId);
  assert.equal((await ev.history())[0].start_mode, 'remote');

  // An idTag the Authorize refuses starts nothing on connector 2.
  csms.on('Authorize', (p) => ({ idTagInfo: { status: p.idTag === 'BADREMOTE' ? 'Invalid' : 'Accepted' } }));
  await ev.plug(2);
  await csms.settle();
  m = csms.mark();
  assert.deepEqual(await csms.call('RemoteStartTransaction', { connectorId: 2, idTag: 'BADREMOTE' }),
    { status: 'Accepted' });
  await csms.waitFor('Authorize', (p) => p.idTag === 'BADREMOTE', { since: m });
  await csms.settle();
  none(csms, 'StartTransaction', m, () => true, 'the Authorize refused the remote idTag');
  assert.equal((await ev.conn(2)).transaction_id, null);
  await ev.stop();
});
