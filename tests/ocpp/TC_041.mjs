// SPDX-License-Identifier: MIT
//
// OCTT TC_041_CS "Fault Behavior" (C11, F1).
// Simulated board faults ('evsectl fault NAME on|off') are reported with
// StatusNotification errorCode (and vendorErrorCode), and cleared with
// NoError:
// - connector fault that forbids power (overtemp): connector 1 Faulted /
//   HighTemperature, then Available / NoError;
// - charger-wide fault (ground): connector 0 Faulted / GroundFailure, then
//   Available / NoError;
// - warning that does not stop charging (reader): connector 0 stays
//   Available with errorCode ReaderFailure, then NoError;
// - during a transaction (overtemp on connector 1): Faulted /
//   HighTemperature, no energy, the transaction is not stopped; cleared:
//   Charging again and energy flows.
import { run, assert, booted, charging, none } from './lib/evsed.mjs';

async function report(ev, csms, conn, fault, on, cn = conn) {
  const m = csms.mark();
  await ev.fault(fault, on, cn || undefined);
  const f = await csms.waitFor('StatusNotification', (p) => p.connectorId === conn, { since: m });
  await csms.settle();
  return f.payload;
}

run('TC_041', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);

  let p = await report(ev, csms, 1, 'overtemp', true);
  assert.equal(p.status, 'Faulted');
  assert.equal(p.errorCode, 'HighTemperature');
  assert.equal(typeof p.vendorErrorCode, 'string');
  p = await report(ev, csms, 1, 'overtemp', false);
  assert.deepEqual([p.status, p.errorCode, p.vendorErrorCode], ['Available', 'NoError', undefined]);

  p = await report(ev, csms, 0, 'ground', true);
  assert.deepEqual([p.status, p.errorCode], ['Faulted', 'GroundFailure']);
  p = await report(ev, csms, 0, 'ground', false);
  assert.deepEqual([p.status, p.errorCode], ['Available', 'NoError']);

  p = await report(ev, csms, 0, 'reader', true);
  assert.deepEqual([p.status, p.errorCode], ['Available', 'ReaderFailure'],
    'a warning is reported with its errorCode; the status stays Available');
  p = await report(ev, csms, 0, 'reader', false);
  assert.deepEqual([p.status, p.errorCode], ['Available', 'NoError']);

  const { tx } = await charging(ev, csms);
  const m = csms.mark();
  p = await report(ev, csms, 1, 'overtemp', true);
  assert.deepEqual([p.status, p.errorCode], ['Faulted', 'HighTemperature']);
  let c = await ev.conn(1);
  assert.equal(c.contactor, false, 'no power while faulted');
  const e0 = c.energy_wh;
  await ev.advanceSteps(60, 60);
  c = await ev.conn(1);
  assert.equal(c.energy_wh, e0);
  assert.equal(c.transaction_id, tx, 'the transaction goes on');
  const m2 = csms.mark();
  await ev.fault('overtemp', false, 1);
  // The EV sees the PWM again and goes back to state C (SuspendedEV a moment).
  p = (await csms.waitFor('StatusNotification', (q) => q.connectorId === 1 && q.status === 'Charging', { since: m2 })).payload;
  assert.equal(p.errorCode, 'NoError');
  assert.ok(csms.since(m2, 'StatusNotification').every((f) => f.payload.errorCode === 'NoError'));
  await ev.advanceSteps(60, 60);
  assert.ok((await ev.conn(1)).energy_wh > e0, 'charging resumed');
  none(csms, 'StopTransaction', m);
  await ev.stop();
});
