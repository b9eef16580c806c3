// SPDX-License-Identifier: MIT
//
// OCTT TC_046_1_CS "Reservation of a Connector - Local start transaction"
// (C7). Connector 2 Unavailable (the OCTT reusable state for unused
// connectors); ReserveNow for connector 1 and CARD1: Accepted, then
// Reserved. Another card starts nothing and is not even sent to the CSMS
// (there is no connector it could use); CARD1 is authorized (Preparing), the
// EV plugs in: StartTransaction with CARD1 and the reservationId, Charging.
import { run, assert, booted, none } from './lib/evsed.mjs';
import { onlyConnector, reserved } from './lib/reserve.mjs';

run('TC_046_1', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  await onlyConnector(csms, 2, 1);
  await reserved(csms, { conn: 1, id: 461, idTag: 'CARD1' });
  let st = await ev.status();
  assert.deepEqual(st.reservations.map((r) => [r.id, r.connector, r.id_tag]), [[461, 1, 'CARD1']]);
  assert.equal(st.connectors[0].state, 'Reserved');
  assert.equal(st.connectors[0].led, 'yellow'); // io7: reserved

  let m = csms.mark();
  await ev.fails(1, /not authorised/, 'swipe', 'OTHER1');
  await csms.settle();
  none(csms, 'Authorize', m, () => true, 'no connector OTHER1 could use');
  none(csms, 'StartTransaction', m);
  assert.equal((await ev.conn(1)).state, 'Reserved');

  m = csms.mark();
  await ev.swipe('CARD1');
  const auth = await csms.waitFor('Authorize', () => true, { since: m });
  assert.equal(auth.payload.idTag, 'CARD1');
  const prep = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(prep.payload.status, 'Preparing');

  m = csms.mark();
  await ev.plug(1);
  await ev.ev(1, 'charge');
  const start = await csms.waitFor('StartTransaction', () => true, { since: m });
  assert.equal(start.payload.connectorId, 1);
  assert.equal(start.payload.idTag, 'CARD1');
  assert.equal(start.payload.reservationId, 461);
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Charging', { since: m });
  await csms.settle();
  st = await ev.status();
  assert.deepEqual(st.reservations, [], 'the reservation ended with the start');
  await ev.stop();
});
