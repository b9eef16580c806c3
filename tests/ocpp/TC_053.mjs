// SPDX-License-Identifier: MIT
//
// OCTT TC_053_CS "Use a reserved Connector with parentIdTag" (C7). Connector
// 2 Unavailable; ReserveNow for connector 1, CARD1 of group PARENT1:
// Accepted, Reserved. CARD3 (unknown to the charger, so it asks: the
// reservation names a group) is of group OTHER: refused, nothing starts.
// CARD2 (Authorize.conf parentIdTag PARENT1) is authorized: Preparing; the
// EV plugs in: StartTransaction with CARD2 and the reservationId.
import { run, assert, booted, none } from './lib/evsed.mjs';
import { onlyConnector, reserved } from './lib/reserve.mjs';

run('TC_053', async (t) => {
  const csms = await t.csms();
  csms.on('Authorize', (p) => ({
    idTagInfo: { status: 'Accepted', parentIdTag: p.idTag === 'CARD2' ? 'PARENT1' : 'OTHER' },
  }));
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  await onlyConnector(csms, 2, 1);
  await reserved(csms, { conn: 1, id: 530, idTag: 'CARD1', parentIdTag: 'PARENT1' });
  const st = await ev.status();
  assert.equal(st.reservations[0].parent_id_tag, 'PARENT1');

  let m = csms.mark();
  await ev.swipe('CARD3'); // sent for authorization
  await csms.waitFor('Authorize', (p) => p.idTag === 'CARD3', { since: m });
  await csms.settle();
  none(csms, 'StatusNotification', m, () => true, 'CARD3 is not of the group');
  assert.equal((await ev.status()).pending_authorization, null);

  m = csms.mark();
  await ev.swipe('CARD2');
  await csms.waitFor('Authorize', (p) => p.idTag === 'CARD2', { since: m });
  const prep = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(prep.payload.status, 'Preparing');
  m = csms.mark();
  await ev.plug(1);
  await ev.ev(1, 'charge');
  const start = await csms.waitFor('StartTransaction', () => true, { since: m });
  assert.equal(start.payload.idTag, 'CARD2');
  assert.equal(start.payload.reservationId, 530);
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Charging', { since: m });
  await csms.settle();
  assert.deepEqual((await ev.status()).reservations, []);
  await ev.stop();
});
