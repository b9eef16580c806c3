// SPDX-License-Identifier: MIT
//
// OCTT TC_050_2_CS "Reservation of a Charge Point - Occupied" (C7). Both
// connectors in a transaction: ReserveNow for connector 0 is answered
// Occupied. One connector Charging, the other reserved: Occupied too (no
// connector left to keep free). The transactions go on.
import { run, assert, booted, charging } from './lib/evsed.mjs';
import { reserved, reserveNow } from './lib/reserve.mjs';

run('TC_050_2', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  await charging(ev, csms, { conn: 1, idTag: 'CARD1' });
  await reserved(csms, { conn: 2, id: 5021, idTag: 'CARD9' });
  let m = csms.mark();
  assert.equal(await reserveNow(csms, { conn: 0, id: 5022 }), 'Occupied');
  assert.deepEqual(await csms.call('CancelReservation', { reservationId: 5021 }), { status: 'Accepted' });
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 2 && p.status === 'Available', { since: m });
  await csms.settle();

  await charging(ev, csms, { conn: 2, idTag: 'CARD2' });
  m = csms.mark();
  assert.equal(await reserveNow(csms, { conn: 0, id: 5023 }), 'Occupied');
  await csms.settle();
  assert.equal(csms.since(m).length, 0, `nothing sent: ${csms.summary(m)}`);
  assert.deepEqual((await ev.status()).reservations, []);
  for (const c of [1, 2]) assert.equal((await ev.conn(c)).state, 'Charging');
  await ev.stop();
});
