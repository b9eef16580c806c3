// SPDX-License-Identifier: MIT
//
// OCTT TC_048_3_CS "Reservation of a Connector - Unavailable" (C7).
// ChangeAvailability Inoperative for connector 1: Unavailable; ReserveNow
// for it is answered Unavailable, nothing reserved. A reserved connector made
// Inoperative loses its reservation (OCPP 1.6 5.13): Operative again, it is
// Available.
import { run, assert, booted, statuses } from './lib/evsed.mjs';
import { reserved, reserveNow } from './lib/reserve.mjs';

run('TC_048_3', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  let m = csms.mark();
  assert.deepEqual(await csms.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' }),
    { status: 'Accepted' });
  const sn = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(sn.payload.status, 'Unavailable');
  await csms.settle();

  m = csms.mark();
  assert.equal(await reserveNow(csms, { conn: 1, id: 483 }), 'Unavailable');
  await csms.settle();
  assert.equal(csms.since(m).length, 0, `nothing sent: ${csms.summary(m)}`);
  assert.deepEqual((await ev.status()).reservations, []);

  await reserved(csms, { conn: 2, id: 484 });
  m = csms.mark();
  assert.deepEqual(await csms.call('ChangeAvailability', { connectorId: 2, type: 'Inoperative' }),
    { status: 'Accepted' });
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 2 && p.status === 'Unavailable', { since: m });
  assert.deepEqual((await ev.status()).reservations, []);
  assert.deepEqual(await csms.call('ChangeAvailability', { connectorId: 2, type: 'Operative' }),
    { status: 'Accepted' });
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 2 && p.status === 'Available', { since: m });
  await csms.settle();
  assert.deepEqual(statuses(csms, 2, m), ['Unavailable', 'Available']);
  await ev.stop();
});
