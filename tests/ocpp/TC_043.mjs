// SPDX-License-Identifier: MIT
//
// OCTT TC_043_CS "Send Local Authorization List" (C6, B3).
// LocalAuthListEnabled true. SendLocalList Full (listVersion 1: LOCAL1,
// LOCAL2 Accepted, BLOCK1 Blocked) then Differential (listVersion 2: LOCAL3
// added, LOCAL2 removed): both Accepted. The charge point then authorizes
// the drivers of the list: online with LocalPreAuthorize at once (no
// Authorize.req), offline with LocalAuthorizeOffline; a Blocked entry is
// refused; a removed one is asked about again. The list survives a restart.
import { run, assert, booted, none } from './lib/evsed.mjs';
import { configure, localListVersion, sendLocalList } from './lib/locallist.mjs';

run('TC_043', async (t) => {
  const csms = await t.csms();
  csms.on('Authorize', () => ({ idTagInfo: { status: 'Invalid' } }));
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  assert.deepEqual(await configure(csms, [['LocalPreAuthorize', 'true'], ['LocalAuthorizeOffline', 'true'],
    ['AllowOfflineTxForUnknownId', 'false']]), ['Accepted', 'Accepted', 'Accepted']);
  assert.equal(await sendLocalList(csms, 'Full', 1, [
    { idTag: 'LOCAL1', idTagInfo: { status: 'Accepted', expiryDate: '2027-01-01T00:00:00Z' } },
    { idTag: 'LOCAL2', idTagInfo: { status: 'Accepted' } },
    { idTag: 'BLOCK1', idTagInfo: { status: 'Blocked' } },
  ]), 'Accepted');
  assert.equal(await sendLocalList(csms, 'Differential', 2, [
    { idTag: 'LOCAL3', idTagInfo: { status: 'Accepted', parentIdTag: 'FLEET' } },
    { idTag: 'LOCAL2' },
  ]), 'Accepted');
  assert.equal(await localListVersion(csms), 2);

  // Online, LocalPreAuthorize: LOCAL3 starts without Authorize.
  let m = csms.mark();
  await ev.plug(1);
  await ev.ev(1, 'charge');
  await ev.swipe('LOCAL3');
  const start = await csms.waitFor('StartTransaction', () => true, { since: m });
  assert.equal(start.payload.idTag, 'LOCAL3');
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Charging', { since: m });
  await csms.settle();
  none(csms, 'Authorize', m, () => true, 'an Accepted entry of the list starts at once');
  // Blocked: refused at once, nothing asked.
  m = csms.mark();
  await ev.fails(1, /not authori[sz]ed/, 'swipe', 'BLOCK1');
  await csms.settle();
  none(csms, 'Authorize', m, () => true, 'a Blocked entry of the list is refused at once');
  // Removed by the Differential update: the CSMS is asked (and refuses).
  await ev.swipe('LOCAL2');
  await csms.waitFor('Authorize', (p) => p.idTag === 'LOCAL2', { since: m });
  await csms.settle();
  assert.equal((await ev.status()).pending_authorization, null, 'LOCAL2 refused by the CSMS');

  // Offline, LocalAuthorizeOffline: LOCAL1 starts on connector 2.
  await ev.offline();
  m = csms.mark();
  await ev.plug(2);
  await ev.ev(2, 'charge');
  await ev.swipe('LOCAL1');
  assert.equal((await ev.conn(2)).state, 'Charging', 'started offline from the list');
  await ev.fails(1, /not authori[sz]ed/, 'swipe', 'BLOCK1');
  await ev.online();
  const off = await csms.waitFor('StartTransaction', (p) => p.connectorId === 2, { since: m });
  assert.equal(off.payload.idTag, 'LOCAL1');
  await csms.settle();

  // The list survives a restart (the sessions end with it).
  await ev.stop();
  m = csms.mark();
  await ev.restart();
  await booted(csms, 2, m);
  assert.equal(await localListVersion(csms), 2);
  await ev.advance(60); // the simulated clock started again at the same time
  m = csms.mark();
  await ev.plug(1);
  await ev.swipe('LOCAL3');
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Preparing', { since: m });
  await csms.settle();
  none(csms, 'Authorize', m);
  await ev.stop();
});
