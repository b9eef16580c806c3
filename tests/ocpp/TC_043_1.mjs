// SPDX-License-Identifier: MIT
//
// OCTT TC_043_1_CS "Send Local Authorization List - NotSupported" (C6).
// With LocalAuthListEnabled false, SendLocalList (Full) answers
// NotSupported and the list is not taken: a card of it is not authorized
// locally (LocalPreAuthorize): the charge point asks with Authorize.
import { run, assert, booted, none } from './lib/evsed.mjs';
import { configure, localListVersion, sendLocalList } from './lib/locallist.mjs';

run('TC_043_1', async (t) => {
  const csms = await t.csms();
  csms.on('Authorize', () => ({ idTagInfo: { status: 'Invalid' } }));
  const ev = await t.evsed(csms, { profile: 'evplus' });
  await booted(csms, 1);
  assert.deepEqual(await configure(csms, [['LocalAuthListEnabled', 'false'], ['LocalPreAuthorize', 'true']]),
    ['Accepted', 'Accepted']);
  assert.equal(await sendLocalList(csms, 'Full', 1, [{ idTag: 'LOCAL1', idTagInfo: { status: 'Accepted' } }]),
    'NotSupported');
  const m = csms.mark();
  await ev.swipe('LOCAL1');
  await csms.waitFor('Authorize', (p) => p.idTag === 'LOCAL1', { since: m });
  await csms.settle();
  assert.equal((await ev.status()).pending_authorization, null, 'refused by the CSMS');
  none(csms, 'StatusNotification', m, (p) => p.status === 'Preparing', 'the list was not taken');
  assert.deepEqual(await configure(csms, [['LocalAuthListEnabled', 'true']]), ['Accepted']);
  assert.equal(await localListVersion(csms), 0, 'nothing was stored');
  await ev.stop();
});
