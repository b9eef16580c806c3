// SPDX-License-Identifier: MIT
//
// OCTT TC_051_CS "Cancel Reservation" (C7). Reserved (connector 1, CARD1):
// CancelReservation with its id is Accepted, then (after the answer)
// StatusNotification Available for connector 1. Charging with another id
// tag: its StartTransaction has no reservationId.
import { run, assert, booted, charging } from './lib/evsed.mjs';
import { reserved } from './lib/reserve.mjs';

run('TC_051', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  await reserved(csms, { conn: 1, id: 51, idTag: 'CARD1' });

  const m = csms.mark();
  assert.deepEqual(await csms.call('CancelReservation', { reservationId: 51 }), { status: 'Accepted' });
  const sn = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(sn.payload.status, 'Available');
  csms.assertAfterAnswer(sn);
  await csms.settle();
  assert.deepEqual((await ev.status()).reservations, []);

  const { start } = await charging(ev, csms, { conn: 1, idTag: 'CARD2' });
  assert.equal(start.payload.reservationId, undefined);
  await ev.stop();
});
