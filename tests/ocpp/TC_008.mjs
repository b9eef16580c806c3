// SPDX-License-Identifier: MIT
//
// OCTT TC_008_CS "Regular Start Charging Session - Id in Local Authorization
// List" (C6, B3). LocalPreAuthorize true, AuthorizationCacheEnabled false,
// LocalAuthListEnabled true. GetLocalListVersion, SendLocalList (Accepted);
// the driver presents an id of the list: StatusNotification Preparing
// without Authorize; the EV plugs in: StartTransaction and Charging.
import { run, assert, booted, none } from './lib/evsed.mjs';
import { configure, localListVersion, sendLocalList } from './lib/locallist.mjs';

run('TC_008', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms, { profile: 'evplus' });
  await booted(csms, 1);
  assert.deepEqual(await configure(csms, [['LocalPreAuthorize', 'true'], ['AuthorizationCacheEnabled', 'false'],
    ['LocalAuthListEnabled', 'true']]), ['Accepted', 'Accepted', 'Accepted']);
  const v = await localListVersion(csms);
  assert.equal(await sendLocalList(csms, 'Full', v + 1, [{ idTag: 'LISTED1', idTagInfo: { status: 'Accepted' } }]),
    'Accepted');

  const m = csms.mark();
  await ev.swipe('LISTED1');
  const prep = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(prep.payload.status, 'Preparing');
  await ev.plug(1);
  await ev.ev(1, 'charge');
  const start = await csms.waitFor('StartTransaction', () => true, { since: m });
  assert.equal(start.payload.idTag, 'LISTED1');
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Charging', { since: m });
  await csms.settle();
  none(csms, 'Authorize', m, () => true, 'an id of the local list starts without Authorize');
  assert.equal((await ev.conn(1)).transaction_id, start.answer.transactionId);
  await ev.stop();
});
