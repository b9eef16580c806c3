// SPDX-License-Identifier: MIT
//
// OCTT TC_052_CS "Cancel Reservation - Rejected" (C7). Reserved (reservation
// 52): CancelReservation of another reservationId is Rejected and cancels
// nothing (no StatusNotification, still Reserved).
import { run, assert, booted, none } from './lib/evsed.mjs';
import { reserved } from './lib/reserve.mjs';

run('TC_052', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  await reserved(csms, { conn: 1, id: 52, idTag: 'CARD1' });

  const m = csms.mark();
  assert.deepEqual(await csms.call('CancelReservation', { reservationId: 53 }), { status: 'Rejected' });
  await csms.settle();
  none(csms, 'StatusNotification', m);
  assert.equal((await ev.conn(1)).state, 'Reserved');
  assert.deepEqual((await ev.status()).reservations.map((r) => r.id), [52]);
  await ev.stop();
});
