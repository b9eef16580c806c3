// SPDX-License-Identifier: MIT
//
// TC_037_2 / TC_037_3: a transaction started offline for an unknown id tag
// (AllowOfflineTxForUnknownId) that the CSMS refuses once back online.
import { assert, booted } from './evsed.mjs';

/** Start UNKNOWN1 offline on connector 1, come back online with the CSMS
 * answering StartTransaction Invalid. Returns {csms, ev, start, m}. */
export async function offlineStartRefused(t, stopOnInvalid) {
  const csms = await t.csms();
  csms.on('StartTransaction', () => ({ transactionId: 41, idTagInfo: { status: 'Invalid' } }));
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  for (const [key, value] of [['AllowOfflineTxForUnknownId', 'true'], ['LocalAuthorizeOffline', 'true'],
    ['StopTransactionOnInvalidId', stopOnInvalid], ['MaxEnergyOnInvalidId', '0']])
    assert.deepEqual(await csms.call('ChangeConfiguration', { key, value }), { status: 'Accepted' });

  await ev.offline();
  const m = csms.mark();
  await ev.plug(1);
  await ev.ev(1, 'charge');
  await ev.swipe('UNKNOWN1');
  assert.equal((await ev.conn(1)).state, 'Charging', 'AllowOfflineTxForUnknownId: started offline');
  await ev.advance(30);
  await ev.online();
  const start = await csms.waitFor('StartTransaction', () => true, { since: m });
  assert.equal(start.payload.idTag, 'UNKNOWN1');
  assert.equal(start.payload.timestamp, '2026-01-01T00:00:00Z');
  return { csms, ev, start, m };
}
