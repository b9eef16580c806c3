// SPDX-License-Identifier: MIT
//
// Helpers of the Smart Charging protocol tests (OCTT module 23, C8):
// charging profiles as the CSMS writes them, SetChargingProfile,
// GetCompositeSchedule and its periods, times on the CSMS clock.

import assert from 'node:assert/strict';

/** The CSMS clock plus s seconds, as an OCPP dateTime. */
export function at(csms, s = 0) {
  return new Date(csms.clockMs + s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A csChargingProfiles object. periods: [[startPeriod, limit(, numberPhases)], ...]. */
export function profile({
  id, purpose = 'TxDefaultProfile', kind = 'Relative', stack = 0, tx, unit = 'A',
  periods = [[0, 16]], start, duration, validFrom, validTo, recurrency, minRate,
}) {
  const p = {
    chargingProfileId: id, stackLevel: stack, chargingProfilePurpose: purpose,
    chargingProfileKind: kind,
    chargingSchedule: {
      chargingRateUnit: unit,
      chargingSchedulePeriod: periods.map(([startPeriod, limit, numberPhases]) =>
        (numberPhases ? { startPeriod, limit, numberPhases } : { startPeriod, limit })),
    },
  };
  if (tx !== undefined) p.transactionId = tx;
  if (recurrency) p.recurrencyKind = recurrency;
  if (validFrom) p.validFrom = validFrom;
  if (validTo) p.validTo = validTo;
  if (start) p.chargingSchedule.startSchedule = start;
  if (duration !== undefined) p.chargingSchedule.duration = duration;
  if (minRate !== undefined) p.chargingSchedule.minChargingRate = minRate;
  return p;
}

/** SetChargingProfile; its status. */
export async function setProfile(csms, connectorId, p) {
  return (await csms.call('SetChargingProfile', { connectorId, csChargingProfiles: p })).status;
}

/** GetCompositeSchedule; the answer, checked for form: Accepted, the
 * connector, scheduleStart and startSchedule now, duration and unit. */
export async function composite(csms, connectorId, duration, unit = 'A') {
  const req = { connectorId, duration };
  if (unit) req.chargingRateUnit = unit;
  const r = await csms.call('GetCompositeSchedule', req);
  assert.equal(r.status, 'Accepted');
  assert.equal(r.connectorId, connectorId);
  assert.equal(r.scheduleStart, at(csms), 'scheduleStart: the time of the request');
  assert.equal(r.chargingSchedule.startSchedule, at(csms));
  assert.equal(r.chargingSchedule.duration, duration);
  assert.equal(r.chargingSchedule.chargingRateUnit, unit || 'A');
  return r;
}

/** The periods of a composite schedule as [[startPeriod, limit], ...]. */
export function periodsOf(r) {
  return r.chargingSchedule.chargingSchedulePeriod.map((p) => [p.startPeriod, p.limit]);
}

/** The offer evsed makes on connector conn, and the limit that set it. */
export async function offer(ev, conn) {
  const c = await ev.conn(conn);
  return [c.offered_a, c.limit_reason];
}
