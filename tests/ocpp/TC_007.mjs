// SPDX-License-Identifier: MIT
//
// OCTT TC_007_CS "Regular Start Charging Session - Cached Id" (B3, C2).
// AuthorizationCacheEnabled and LocalPreAuthorize true; CARD1 is in the
// authorization cache (an earlier Authorize accepted it). Presented again
// it starts at once, without Authorize: StatusNotification Preparing, then
// with the EV StartTransaction and Charging. After ClearCache (Accepted)
// the same card is asked for again.
import { run, assert, booted, none } from './lib/evsed.mjs';

run('TC_007', async (t) => {
  const csms = await t.csms();
  csms.on('Authorize', () => ({ idTagInfo: { status: 'Accepted', expiryDate: '2027-01-01T00:00:00Z' } }));
  const ev = await t.evsed(csms, { profile: 'evplus' });
  await booted(csms, 1);
  for (const [key, value] of [['AuthorizationCacheEnabled', 'true'], ['LocalPreAuthorize', 'true']])
    assert.deepEqual(await csms.call('ChangeConfiguration', { key, value }), { status: 'Accepted' });

  // Memory state IdTagCached: an Authorize accepted CARD1 (no EV came).
  let m = csms.mark();
  await ev.swipe('CARD1');
  await csms.waitFor('Authorize', (p) => p.idTag === 'CARD1', { since: m });
  await csms.settle();
  await ev.advance(120); // ConnectionTimeOut: the card is void again
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Available', { since: m });
  await csms.settle();

  m = csms.mark();
  await ev.swipe('CARD1');
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Preparing', { since: m });
  await ev.plug(1);
  await ev.ev(1, 'charge');
  const start = await csms.waitFor('StartTransaction', () => true, { since: m });
  assert.equal(start.payload.idTag, 'CARD1');
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Charging', { since: m });
  await csms.settle();
  none(csms, 'Authorize', m, () => true, 'a cached id starts without Authorize (LocalPreAuthorize)');
  assert.equal((await ev.conn(1)).transaction_id, start.answer.transactionId);

  m = csms.mark();
  await ev.swipe('CARD1');
  await csms.waitFor('StopTransaction', () => true, { since: m });
  await ev.unplug(1);
  await csms.settle();

  assert.deepEqual(await csms.call('ClearCache', {}), { status: 'Accepted' });
  m = csms.mark();
  await ev.swipe('CARD1');
  await csms.waitFor('Authorize', (p) => p.idTag === 'CARD1', { since: m });
  await ev.stop();
});
