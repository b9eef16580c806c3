// SPDX-License-Identifier: MIT
//
// OCTT TC_011_2_CS "Remote Start Charging Session - Time Out" (C2, B4).
// ConnectionTimeOut 20 s, AuthorizeRemoteTxRequests true (set by the CSMS):
// RemoteStartTransaction Accepted, Authorize, Preparing; no EV comes and
// 20 s later the connector is Available; an EV plugged in afterwards does
// not start a transaction.
import { run, assert, booted, none, secs } from './lib/evsed.mjs';

run('TC_011_2', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  for (const [key, value] of [['ConnectionTimeOut', '20'], ['AuthorizeRemoteTxRequests', 'true']])
    assert.deepEqual(await csms.call('ChangeConfiguration', { key, value }), { status: 'Accepted' });

  let m = csms.mark();
  assert.deepEqual(await csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'REMOTE1' }),
    { status: 'Accepted' });
  await csms.waitFor('Authorize', (p) => p.idTag === 'REMOTE1', { since: m });
  const prep = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(prep.payload.status, 'Preparing');
  await csms.settle();

  m = csms.mark();
  await ev.advance(19);
  await csms.settle();
  none(csms, 'StatusNotification', m);
  await ev.advance(1);
  const avail = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(avail.payload.status, 'Available');
  assert.equal(secs(prep.payload.timestamp, avail.payload.timestamp), 20);

  m = csms.mark();
  await ev.plug(1);
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Preparing', { since: m });
  await csms.settle();
  none(csms, 'StartTransaction', m, () => true, 'the remote start timed out');
  await ev.stop();
});
