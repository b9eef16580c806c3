// SPDX-License-Identifier: MIT
//
// Helpers of the Reservation scenarios (OCTT module 18, C7): expiry dates on
// the CSMS clock, ReserveNow, and the OCTT reusable states "SetConnector-
// Unavailable for all unused connectors" and "Reserved". Only evsed.mjs.

import { assert } from './evsed.mjs';

/** The CSMS clock plus secs, as an OCPP dateTime. */
export function expiry(csms, secs) {
  return new Date(csms.clockMs + secs * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** OCTT "SetConnectorUnavailable for all unused connectors": every
 * connector of n but conn Inoperative, each reported Unavailable. */
export async function onlyConnector(csms, n, conn = 1) {
  for (let c = 1; c <= n; c++) {
    if (c === conn) continue;
    const m = csms.mark();
    assert.deepEqual(await csms.call('ChangeAvailability', { connectorId: c, type: 'Inoperative' }),
      { status: 'Accepted' });
    await csms.waitFor('StatusNotification', (p) => p.connectorId === c && p.status === 'Unavailable',
      { since: m });
  }
  await csms.settle();
}

/** ReserveNow (connector conn, reservation id, for idTag / parentIdTag,
 * expiring secs from now); its status. */
export async function reserveNow(csms, { conn = 1, id = 1, idTag = 'CARD1', parentIdTag, secs = 3600 } = {}) {
  const req = { connectorId: conn, expiryDate: expiry(csms, secs), idTag, reservationId: id };
  if (parentIdTag) req.parentIdTag = parentIdTag;
  return (await csms.call('ReserveNow', req)).status;
}

/** OCTT reusable state "Reserved": ReserveNow Accepted, then (after the
 * answer) StatusNotification Reserved for the connector (opts.show for a
 * connector-0 reservation). Returns that StatusNotification frame. */
export async function reserved(csms, opts = {}) {
  const m = csms.mark();
  assert.equal(await reserveNow(csms, opts), 'Accepted');
  const show = opts.show ?? opts.conn ?? 1;
  const sn = await csms.waitFor('StatusNotification', (p) => p.connectorId === show, { since: m });
  assert.equal(sn.payload.status, 'Reserved');
  csms.assertAfterAnswer(sn);
  await csms.settle();
  return sn;
}
