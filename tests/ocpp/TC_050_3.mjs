// SPDX-License-Identifier: MIT
//
// OCTT TC_050_3_CS "Reservation of a Charge Point - Unavailable" (C7).
// ChangeAvailability Inoperative for connector 0 (the charger): ReserveNow
// for connector 0 (and for a connector) is answered Unavailable, nothing
// reserved.
import { run, assert, booted } from './lib/evsed.mjs';
import { reserveNow } from './lib/reserve.mjs';

run('TC_050_3', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  let m = csms.mark();
  assert.deepEqual(await csms.call('ChangeAvailability', { connectorId: 0, type: 'Inoperative' }),
    { status: 'Accepted' });
  for (const c of [0, 1, 2])
    await csms.waitFor('StatusNotification', (p) => p.connectorId === c && p.status === 'Unavailable', { since: m });
  await csms.settle();

  m = csms.mark();
  assert.equal(await reserveNow(csms, { conn: 0, id: 503 }), 'Unavailable');
  assert.equal(await reserveNow(csms, { conn: 2, id: 504 }), 'Unavailable');
  await csms.settle();
  assert.equal(csms.since(m).length, 0, `nothing sent: ${csms.summary(m)}`);
  assert.deepEqual((await ev.status()).reservations, []);
  await ev.stop();
});
