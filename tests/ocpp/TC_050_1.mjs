// SPDX-License-Identifier: MIT
//
// OCTT TC_050_1_CS "Reservation of a Charge Point - Faulted" (C7). A
// charger-wide fault (over-voltage): ReserveNow for connector 0 is answered
// Faulted, nothing reserved. A connector-0 reservation in force ends when
// the charger becomes Faulted (OCPP 1.6 5.13).
import { run, assert, booted } from './lib/evsed.mjs';
import { reserveNow } from './lib/reserve.mjs';

run('TC_050_1', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  assert.equal(await reserveNow(csms, { conn: 0, id: 501 }), 'Accepted');
  await csms.settle();
  assert.equal((await ev.status()).reservations.length, 1);

  let m = csms.mark();
  await ev.fault('overvoltage', true);
  for (const c of [0, 1, 2])
    await csms.waitFor('StatusNotification', (p) => p.connectorId === c && p.status === 'Faulted', { since: m });
  await csms.settle();
  assert.deepEqual((await ev.status()).reservations, [], 'ended by the fault');

  m = csms.mark();
  assert.equal(await reserveNow(csms, { conn: 0, id: 502 }), 'Faulted');
  assert.equal(await reserveNow(csms, { conn: 1, id: 503 }), 'Faulted');
  await csms.settle();
  assert.equal(csms.since(m).length, 0, `nothing sent: ${csms.summary(m)}`);
  assert.deepEqual((await ev.status()).reservations, []);
  await ev.fault('overvoltage', false);
  await csms.settle();
  await ev.stop();
});
