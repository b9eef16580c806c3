// SPDX-License-Identifier: MIT
//
// OCTT TC_004_2_CS "Regular Charging Session - Identification First -
// ConnectionTimeOut" (C2, B4).
// ConnectionTimeOut 30 s (set by the CSMS). The card is accepted
// (Preparing) but no EV comes: exactly 30 s later the connector is
// Available again, and an EV plugged in afterwards does not start a
// transaction with that card.
import { run, assert, booted, none, secs } from './lib/evsed.mjs';

run('TC_004_2', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms, { profile: 'evplus' });
  await booted(csms, 1);
  assert.deepEqual(await csms.call('ChangeConfiguration', { key: 'ConnectionTimeOut', value: '30' }),
    { status: 'Accepted' });
  const cfg = await csms.call('GetConfiguration', { key: ['ConnectionTimeOut'] });
  assert.equal(cfg.configurationKey[0].value, '30');

  let m = csms.mark();
  await ev.swipe('CARD1');
  await csms.waitFor('Authorize', () => true, { since: m });
  const prep = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Preparing', { since: m });
  await csms.settle();

  m = csms.mark();
  await ev.advance(29);
  await csms.settle();
  none(csms, 'StatusNotification', m, () => true, 'before ConnectionTimeOut');
  await ev.advance(1);
  const avail = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(avail.payload.status, 'Available');
  assert.equal(secs(prep.payload.timestamp, avail.payload.timestamp), 30, 'Available after ConnectionTimeOut');
  assert.equal((await ev.status()).pending_authorization, null);

  m = csms.mark();
  await ev.plug(1);
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Preparing', { since: m });
  await csms.settle();
  none(csms, 'StartTransaction', m, () => true, 'the authorization expired');
  assert.equal((await ev.conn(1)).transaction_id, null);
  await ev.stop();
});
