// SPDX-License-Identifier: MIT
//
// OCTT TC_026_CS "Remote Start Charging Session - Rejected" (C2).
// LocalPreAuthorize false; Charging on connector 1: RemoteStartTransaction
// for connector 1 is Rejected and the running transaction goes on (no
// Authorize, no StartTransaction, still Charging). A remote start waiting
// for an EV on connector 2 is not replaced by another: that one is Rejected.
import { run, assert, booted, charging, none } from './lib/evsed.mjs';

run('TC_026', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  assert.equal((await csms.call('GetConfiguration', { key: ['LocalPreAuthorize'] })).configurationKey[0].value, 'false');
  const { tx } = await charging(ev, csms);

  const m = csms.mark();
  assert.deepEqual(await csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'REMOTE1' }),
    { status: 'Rejected' });
  await csms.settle();
  assert.equal(csms.since(m).length, 0, `nothing sent: ${csms.summary(m)}`);
  const c = await ev.conn(1);
  assert.equal(c.state, 'Charging');
  assert.equal(c.transaction_id, tx);
  assert.equal(c.id_tag, 'CARD1');
  none(csms, 'StartTransaction', m);

  // Connector 2 free, a remote start waits there for an EV: another one is
  // Rejected too, not Accepted and then silently dropped (the charger holds
  // one start waiting for an EV at a time).
  assert.deepEqual(await csms.call('RemoteStartTransaction', { connectorId: 2, idTag: 'REMOTE2' }),
    { status: 'Accepted' });
  assert.deepEqual(await csms.call('RemoteStartTransaction', { connectorId: 2, idTag: 'REMOTE3' }),
    { status: 'Rejected' });
  assert.deepEqual(await csms.call('RemoteStartTransaction', { idTag: 'REMOTE4' }), { status: 'Rejected' });
  const m2 = csms.mark();
  await ev.plug(2);
  const start = await csms.waitFor('StartTransaction', () => true, { since: m2 });
  assert.equal(start.payload.idTag, 'REMOTE2', 'the accepted remote start is the one that starts');
  assert.equal(start.payload.connectorId, 2);
  await csms.settle();
  await ev.stop();
});
