// SPDX-License-Identifier: MIT
//
// OCTT TC_027_CS "Remote start transaction - connector id shall not be 0"
// (C2).
// RemoteStartTransaction with connectorId 0 is Rejected (with either value
// of AuthorizeRemoteTxRequests); nothing is authorized or started, and an
// EV plugged in afterwards does not start a transaction for that idTag.
import { run, assert, booted, none } from './lib/evsed.mjs';

run('TC_027', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const m = csms.mark();
  for (const artr of ['false', 'true']) {
    assert.deepEqual(await csms.call('ChangeConfiguration', { key: 'AuthorizeRemoteTxRequests', value: artr }),
      { status: 'Accepted' });
    assert.deepEqual(await csms.call('RemoteStartTransaction', { connectorId: 0, idTag: 'REMOTE1' }),
      { status: 'Rejected' }, `AuthorizeRemoteTxRequests ${artr}`);
  }
  await csms.settle();
  assert.equal(csms.since(m).length, 0, `nothing sent: ${csms.summary(m)}`);
  await ev.plug(1);
  await csms.settle();
  none(csms, 'Authorize', m);
  none(csms, 'StartTransaction', m);
  assert.equal((await ev.status()).pending_authorization, null);
  await ev.stop();
});
