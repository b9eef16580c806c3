// SPDX-License-Identifier: MIT
//
// TC_023_1/2/3: a card the CSMS refuses (Invalid, Expired, Blocked) starts
// nothing.
import { assert, booted, none, secs } from './evsed.mjs';

export async function authorizeRefused(t, status) {
  const csms = await t.csms();
  csms.on('Authorize', () => ({ idTagInfo: { status } }));
  const ev = await t.evsed(csms, { profile: 'evplus' });
  await booted(csms, 1);
  for (const [key, value] of [['MinimumStatusDuration', '10'], ['LocalPreAuthorize', 'true']])
    assert.deepEqual(await csms.call('ChangeConfiguration', { key, value }), { status: 'Accepted' });

  let m = csms.mark();
  await ev.swipe('BAD1');
  const auth = await csms.waitFor('Authorize', () => true, { since: m });
  assert.equal(auth.payload.idTag, 'BAD1');
  await csms.settle();
  const st = await ev.status();
  assert.equal(st.pending_authorization, null, `a ${status} card is not waiting for an EV`);

  await ev.advance(5);
  m = csms.mark();
  await ev.plug(1);
  await ev.advance(9);
  await csms.settle();
  none(csms, 'StatusNotification', m, () => true, 'MinimumStatusDuration 10 s');
  await ev.advance(1);
  const prep = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(prep.payload.status, 'Preparing');
  assert.equal(secs('2026-01-01T00:00:05Z', prep.payload.timestamp), 10);
  await csms.settle();
  none(csms, 'StartTransaction', 0, () => true, `a ${status} card starts nothing`);
  assert.equal((await ev.conn(1)).transaction_id, null);

  m = csms.mark();
  await ev.ctl('swipe', 'BAD1');
  await csms.waitFor('Authorize', (p) => p.idTag === 'BAD1', { since: m });
  await csms.settle();
  none(csms, 'StartTransaction', m);
  await ev.stop();
}
