// SPDX-License-Identifier: MIT
//
// OCTT TC_037_1_CS "Offline Start Transaction - Valid IdTag" (B3, C5).
// LocalAuthorizeOffline true, AuthorizationCacheEnabled true,
// AllowOfflineTxForUnknownId false: CARD1 is in the cache (an Authorize
// accepted it). Offline, the EV plugs in and CARD1 starts a transaction
// locally; an unknown card would not. Back online: StartTransaction with
// the original timestamp and meterStart, then StatusNotification Charging;
// StartTransaction.conf Accepted and the transaction goes on.
import { run, assert, booted, none } from './lib/evsed.mjs';

run('TC_037_1', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const cfg = await csms.call('GetConfiguration',
    { key: ['LocalAuthorizeOffline', 'AuthorizationCacheEnabled', 'AllowOfflineTxForUnknownId'] });
  assert.deepEqual(cfg.configurationKey.map((k) => k.value), ['true', 'true', 'false']);

  // IdTagCached: CARD1 accepted by an Authorize; nobody plugs in.
  await ev.swipe('CARD1');
  await csms.waitFor('Authorize');
  await csms.settle();
  await ev.advance(120);
  await csms.settle();

  await ev.offline();
  const m = csms.mark();
  await ev.fails(1, /not authori[sz]ed/, 'swipe', 'UNKNOWN9'); // offline, not cached: refused
  await ev.advance(10);
  await ev.plug(1);
  await ev.ev(1, 'charge');
  await ev.swipe('CARD1');
  const c = await ev.conn(1);
  assert.equal(c.state, 'Charging', 'started offline');
  assert.equal(c.transaction_id, null, 'no transactionId before the CSMS answers');
  await ev.advance(20);

  await ev.online();
  const start = await csms.waitFor('StartTransaction', () => true, { since: m });
  assert.equal(start.payload.idTag, 'CARD1');
  assert.equal(start.payload.connectorId, 1);
  assert.equal(start.payload.timestamp, '2026-01-01T00:02:10Z', 'the original start time');
  assert.equal(start.payload.meterStart, 0);
  const sn = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Charging', { since: m });
  assert.ok(sn.n > start.n, 'StartTransaction first');
  await csms.settle();
  none(csms, 'Authorize', m);
  none(csms, 'StopTransaction', m);
  const after = await ev.conn(1);
  assert.equal(after.transaction_id, start.answer.transactionId);
  assert.equal(after.state, 'Charging');
  await ev.stop();
});
