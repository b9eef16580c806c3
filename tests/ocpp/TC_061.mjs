// SPDX-License-Identifier: MIT
//
// OCTT TC_061_CS "Clear Authorization Data in Authorization Cache" (B3,
// C6). AuthorizationCacheEnabled and LocalPreAuthorize true. CARD1 is
// authorized (Authorize.req, cached); Preparing; the ConnectionTimeOut
// passes: Available. ClearCache: Accepted; CARD1 again: Authorize.req. An
// id of the Local Authorization List is not in the cache: it still starts
// at once after ClearCache.
import { run, assert, booted, none } from './lib/evsed.mjs';
import { sendLocalList } from './lib/locallist.mjs';

run('TC_061', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms, { profile: 'evplus', args: ['--set', 'LocalPreAuthorize=true'] });
  await booted(csms, 1);
  assert.equal(await sendLocalList(csms, 'Full', 1, [{ idTag: 'LISTED1', idTagInfo: { status: 'Accepted' } }]),
    'Accepted');
  let m = csms.mark();
  await ev.swipe('CARD1');
  await csms.waitFor('Authorize', (p) => p.idTag === 'CARD1', { since: m });
  await csms.waitFor('StatusNotification', (p) => p.status === 'Preparing', { since: m });
  await ev.advance(120);
  await csms.waitFor('StatusNotification', (p) => p.status === 'Available', { since: m });
  await csms.settle();

  assert.deepEqual(await csms.call('ClearCache', {}), { status: 'Accepted' });
  m = csms.mark();
  await ev.swipe('CARD1');
  await csms.waitFor('Authorize', (p) => p.idTag === 'CARD1', { since: m });
  await csms.waitFor('StatusNotification', (p) => p.status === 'Preparing', { since: m });
  await ev.advance(120);
  await csms.waitFor('StatusNotification', (p) => p.status === 'Available', { since: m });
  await csms.settle();

  m = csms.mark();
  await ev.swipe('LISTED1');
  await csms.waitFor('StatusNotification', (p) => p.status === 'Preparing', { since: m });
  await csms.settle();
  none(csms, 'Authorize', m, () => true, 'the list is not the cache: ClearCache leaves it');
  await ev.stop();
});
