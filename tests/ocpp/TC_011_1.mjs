// SPDX-License-Identifier: MIT
//
// OCTT TC_011_1_CS "Remote Start Charging Session - Remote Start First"
// (C2).
// AuthorizeRemoteTxRequests false (io7 default, read with
// GetConfiguration): RemoteStartTransaction for connector 1 is Accepted
// with no Authorize; connector 1 shows Preparing; the EV plugs in:
// StartTransaction with the remote idTag, Charging. Then a
// RemoteStartTransaction without connectorId: the charge point uses the
// connector the next EV plugs into (2).
import { run, assert, booted, none } from './lib/evsed.mjs';

run('TC_011_1', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const cfg = await csms.call('GetConfiguration', { key: ['AuthorizeRemoteTxRequests'] });
  assert.equal(cfg.configurationKey[0].value, 'false');

  let m = csms.mark();
  assert.deepEqual(await csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'REMOTE1' }),
    { status: 'Accepted' });
  const prep = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(prep.payload.status, 'Preparing');
  await csms.settle();
  none(csms, 'Authorize', m, () => true, 'AuthorizeRemoteTxRequests is false');

  await ev.advance(5);
  m = csms.mark();
  await ev.plug(1);
  await ev.ev(1, 'charge');
  const start = await csms.waitFor('StartTransaction', () => true, { since: m });
  assert.equal(start.payload.idTag, 'REMOTE1');
  assert.equal(start.payload.connectorId, 1);
  assert.equal(start.payload.timestamp, '2026-01-01T00:00:05Z');
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Charging', { since: m });
  await csms.settle();

  // No connectorId: the charge point chooses (the next EV, on connector 2).
  m = csms.mark();
  assert.deepEqual(await csms.call('RemoteStartTransaction', { idTag: 'REMOTE2' }), { status: 'Accepted' });
  await csms.settle();
  await ev.plug(2);
  const start2 = await csms.waitFor('StartTransaction', () => true, { since: m });
  assert.equal(start2.payload.idTag, 'REMOTE2');
  assert.equal(start2.payload.connectorId, 2);
  await csms.settle();
  assert.notEqual(start2.answer.transactionId, start.answer.transactionId);
  await ev.stop();
});
