// SPDX-License-Identifier: MIT
//
// OCTT TC_047_CS "Reservation of a Connector - Expire" (C7). Connector 2
// Unavailable; ReserveNow for connector 1 expiring in 60 s: Accepted,
// Reserved. Nobody comes: at the expiry (not a second before)
// StatusNotification Available, timestamped at the expiryDate. Another id
// tag then charges there, its StartTransaction without a reservationId.
import { run, assert, booted, charging, none } from './lib/evsed.mjs';
import { expiry, onlyConnector, reserved } from './lib/reserve.mjs';

run('TC_047', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  await onlyConnector(csms, 2, 1);
  const until = expiry(csms, 60);
  await reserved(csms, { conn: 1, id: 47, idTag: 'CARD1', secs: 60 });

  let m = csms.mark();
  await ev.advance(59);
  await csms.settle();
  none(csms, 'StatusNotification', m, () => true, 'the reservation holds until its expiryDate');
  await ev.advance(1);
  const sn = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(sn.payload.status, 'Available');
  assert.equal(sn.payload.timestamp, until);
  await csms.settle();
  assert.deepEqual((await ev.status()).reservations, []);

  const { start } = await charging(ev, csms, { conn: 1, idTag: 'CARD2' });
  assert.equal(start.payload.idTag, 'CARD2');
  assert.equal(start.payload.reservationId, undefined);
  await ev.stop();
});
