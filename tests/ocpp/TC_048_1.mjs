// SPDX-License-Identifier: MIT
//
// OCTT TC_048_1_CS "Reservation of a Connector - Faulted" (C7). Connector 1
// Faulted (a diode fault): ReserveNow for it is answered Faulted and nothing
// is reserved. Connector 0 with one connector faulted: the other one is
// reserved. Once the fault is gone, connector 1 can be reserved again.
import { run, assert, booted } from './lib/evsed.mjs';
import { reserveNow } from './lib/reserve.mjs';

run('TC_048_1', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  let m = csms.mark();
  await ev.fault('diode', true, 1);
  const sn = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(sn.payload.status, 'Faulted');
  await csms.settle();

  m = csms.mark();
  assert.equal(await reserveNow(csms, { conn: 1, id: 481 }), 'Faulted');
  await csms.settle();
  assert.equal(csms.since(m).length, 0, `nothing sent: ${csms.summary(m)}`);
  assert.deepEqual((await ev.status()).reservations, []);

  await ev.fault('diode', false, 1);
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Available', { since: m });
  await csms.settle();
  assert.equal(await reserveNow(csms, { conn: 1, id: 481 }), 'Accepted');
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Reserved', { since: m });
  await csms.settle();
  await ev.stop();
});
