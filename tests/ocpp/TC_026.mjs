// SPDX-License-Identifier: MIT
//
// OCTT TC_026_CS "Remote Start Charging Session - Rejected" (C2).
// LocalPreAuthorize false; Charging on connector 1: RemoteStartTransaction
// for connector 1 is Rejected and the running transaction goes on (no
// Authorize, no StartTransaction, still Charging).
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
  await ev.stop();
});
