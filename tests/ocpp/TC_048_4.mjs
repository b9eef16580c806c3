// SPDX-License-Identifier: MIT
//
// ReserveNow answered Rejected (C7; OCPP 1.6 5.13 "Rejected", the bad input
// of the Reservation issue; not an OCTT case of its own): a connector that
// does not exist, an expiryDate that is not in the future, connector 0 with
// ReserveConnectorZeroSupported false (an installer setting here; read-only
// for the CSMS). Nothing is stored, nothing is reported.
import { run, assert, booted } from './lib/evsed.mjs';
import { expiry, reserveNow } from './lib/reserve.mjs';

run('TC_048_4', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms, { args: ['--set', 'ReserveConnectorZeroSupported=false'] });
  await booted(csms, 2);
  const r = await csms.call('GetConfiguration', { key: ['ReserveConnectorZeroSupported'] });
  assert.deepEqual(r.configurationKey, [{ key: 'ReserveConnectorZeroSupported', readonly: true, value: 'false' }]);
  assert.deepEqual(await csms.call('ChangeConfiguration', { key: 'ReserveConnectorZeroSupported', value: 'true' }),
    { status: 'Rejected' });

  const m = csms.mark();
  assert.equal(await reserveNow(csms, { conn: 3, id: 1 }), 'Rejected');
  assert.equal(await reserveNow(csms, { conn: 1, id: 2, secs: 0 }), 'Rejected');
  assert.equal(await reserveNow(csms, { conn: 1, id: 3, secs: -3600 }), 'Rejected');
  assert.equal(await reserveNow(csms, { conn: 0, id: 4 }), 'Rejected');
  // An expiryDate with an offset is read as the instant it names.
  const past = new Date(csms.clockMs - 60000);
  const local = `${new Date(past.getTime() + 2 * 3600000).toISOString().slice(0, 19)}+02:00`;
  assert.equal((await csms.call('ReserveNow', { connectorId: 1, expiryDate: local, idTag: 'CARD1', reservationId: 5 })).status,
    'Rejected');
  await csms.settle();
  assert.equal(csms.since(m).length, 0, `nothing sent: ${csms.summary(m)}`);
  assert.deepEqual((await ev.status()).reservations, []);
  assert.deepEqual(await csms.call('CancelReservation', { reservationId: 2 }), { status: 'Rejected' });

  // A future expiry with an offset is fine.
  const later = new Date(csms.clockMs + 3600000);
  const local2 = `${new Date(later.getTime() - 5 * 3600000).toISOString().slice(0, 19)}-05:00`;
  assert.equal((await csms.call('ReserveNow', { connectorId: 1, expiryDate: local2, idTag: 'CARD1', reservationId: 6 })).status,
    'Accepted');
  const st = await ev.status();
  assert.equal(st.reservations[0].expiry, expiry(csms, 3600));
  await csms.settle();
  await ev.stop();
});
