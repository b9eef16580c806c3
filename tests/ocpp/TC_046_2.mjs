// SPDX-License-Identifier: MIT
//
// OCTT TC_046_2_CS "Reservation of a Connector - Remote start transaction"
// (C7). ReserveNow for connector 1 and CARD1: Accepted, Reserved. A remote
// start of another id tag on connector 1 is Rejected (only the reservation's
// id tag charges there); RemoteStartTransaction for CARD1, the EV plugs in:
// StartTransaction with CARD1 and the reservationId, Charging.
import { run, assert, booted, none } from './lib/evsed.mjs';
import { reserved } from './lib/reserve.mjs';

run('TC_046_2', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  await reserved(csms, { conn: 1, id: 462, idTag: 'CARD1' });

  let m = csms.mark();
  assert.deepEqual(await csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'CARD2' }),
    { status: 'Rejected' });
  await csms.settle();
  none(csms, 'StatusNotification', m, () => true, 'a refused remote start changes nothing');

  m = csms.mark();
  assert.deepEqual(await csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'CARD1' }),
    { status: 'Accepted' });
  await ev.plug(1);
  await ev.ev(1, 'charge');
  const start = await csms.waitFor('StartTransaction', () => true, { since: m });
  assert.equal(start.payload.connectorId, 1);
  assert.equal(start.payload.idTag, 'CARD1');
  assert.equal(start.payload.reservationId, 462);
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Charging', { since: m });
  await csms.settle();
  assert.deepEqual((await ev.status()).reservations, []);
  await ev.stop();
});
