// SPDX-License-Identifier: MIT
//
// OCTT TC_049_CS "Reservation of a Charge Point - Transaction" (C7). MQ200
// (ReserveConnectorZeroSupported true, as its manual lists), one connector:
// ReserveNow for connector 0 and CARD1 is Accepted and the connector, the
// only one the charger can keep free, becomes Reserved (the LED steady
// pink). Another card is refused without an Authorize; CARD1 charges, and
// its StartTransaction names the reservation.
import { run, assert, booted, none } from './lib/evsed.mjs';
import { reserved } from './lib/reserve.mjs';

run('TC_049', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms, { profile: 'mq200', args: ['--set', 'MinimumStatusDuration=0'] });
  await booted(csms, 1);
  const key = await csms.call('GetConfiguration', { key: ['ReserveConnectorZeroSupported'] });
  assert.equal(key.configurationKey[0].value, 'true');
  await reserved(csms, { conn: 0, show: 1, id: 49, idTag: 'CARD1' });
  let c = await ev.conn(1);
  assert.equal(c.state, 'Reserved');
  assert.equal(c.led, 'pink');
  assert.equal(c.display, 'RESERVED');
  assert.deepEqual((await ev.status()).reservations.map((r) => [r.id, r.connector]), [[49, 0]]);

  let m = csms.mark();
  await ev.plug(1);
  await ev.ev(1, 'charge');
  await ev.fails(1, /not authorised/, 'swipe', 'OTHER1');
  await csms.settle();
  none(csms, 'Authorize', m);
  none(csms, 'StartTransaction', m);
  assert.equal((await ev.conn(1)).state, 'Reserved');

  m = csms.mark();
  await ev.swipe('CARD1');
  const start = await csms.waitFor('StartTransaction', () => true, { since: m });
  assert.equal(start.payload.connectorId, 1);
  assert.equal(start.payload.idTag, 'CARD1');
  assert.equal(start.payload.reservationId, 49);
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Charging', { since: m });
  await csms.settle();
  await ev.advance(3); // the "card not authorised" indication of OTHER1 is over
  c = await ev.conn(1);
  assert.equal(c.led, 'blue-flashing-slow');
  assert.deepEqual((await ev.status()).reservations, []);
  await ev.stop();
});
