// SPDX-License-Identifier: MIT
//
// OCTT TC_048_2_CS "Reservation of a Connector - Occupied" (C7). Connector 1
// occupied (an EV plugged in: Preparing): ReserveNow is answered Occupied.
// Also Occupied: a connector in a transaction, and one reserved already
// (for another id tag, or the same one with another reservationId). The
// charge point goes on normally: the EV on connector 1 starts with a card,
// no reservationId.
import { run, assert, booted, charging } from './lib/evsed.mjs';
import { reserved, reserveNow } from './lib/reserve.mjs';

run('TC_048_2', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  let m = csms.mark();
  await ev.plug(1);
  const prep = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(prep.payload.status, 'Preparing');
  await csms.settle();

  m = csms.mark();
  assert.equal(await reserveNow(csms, { conn: 1, id: 482 }), 'Occupied');
  await csms.settle();
  assert.equal(csms.since(m).length, 0, `nothing sent: ${csms.summary(m)}`);

  // Connector 2 reserved: Occupied for any other reservation of it.
  await reserved(csms, { conn: 2, id: 483, idTag: 'CARD2' });
  assert.equal(await reserveNow(csms, { conn: 2, id: 484, idTag: 'CARD3' }), 'Occupied');
  assert.equal(await reserveNow(csms, { conn: 2, id: 485, idTag: 'CARD2' }), 'Occupied');
  assert.deepEqual((await ev.status()).reservations.map((r) => r.id), [483]);

  // Normal operation on connector 1.
  m = csms.mark();
  await ev.ev(1, 'charge');
  await ev.swipe('CARD1');
  const start = await csms.waitFor('StartTransaction', () => true, { since: m });
  assert.equal(start.payload.connectorId, 1);
  assert.equal(start.payload.reservationId, undefined);
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Charging', { since: m });
  await csms.settle();
  assert.equal(await reserveNow(csms, { conn: 1, id: 486 }), 'Occupied');
  await ev.stop();
});
