// SPDX-License-Identifier: MIT
//
// OCTT TC_032_2_CS "Power failure boot charging point - configured to stop
// transaction(s)" (after going down, no backup power) (C5).
// Charging for 90 s; the power goes (kill -9); evsed starts again: a
// BootNotification, one StatusNotification per connector and connector 0,
// and the StopTransaction of the interrupted transaction: reason PowerLoss,
// the same transactionId, meterStop = the energy recorded before the cut,
// timestamp = the last instant recorded. It is sent once only. (The
// simulated EV does not survive the power cut of the process that
// simulates it: connector 1 comes back Available, not Finishing.)
// TC_032_1 (stop before going down on backup power) does not apply: the
// charger has no backup power.
import { run, assert, booted, charging } from './lib/evsed.mjs';

run('TC_032_2', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const { start, tx } = await charging(ev, csms);
  await ev.advanceSteps(90, 30);
  const energy = (await ev.conn(1)).energy_wh;
  assert.ok(energy > 500);

  await ev.killHard();
  await csms.until(() => !csms.connected || undefined, 'the connection to drop');
  const m = csms.mark();
  const boot = await ev.restart();
  assert.equal(boot.n, m, 'the BootNotification comes first');
  const stop = await csms.waitFor('StopTransaction', () => true, { since: m });
  assert.equal(stop.payload.transactionId, tx);
  assert.equal(stop.payload.reason, 'PowerLoss');
  assert.equal(stop.payload.meterStop, Math.floor(energy), 'meterStop = the energy recorded');
  assert.equal(stop.payload.timestamp, '2026-01-01T00:01:30Z', 'the last instant recorded');
  assert.ok(stop.payload.meterStop >= start.payload.meterStart);
  const sn = {};
  for (const c of [0, 1, 2])
    sn[c] = (await csms.waitFor('StatusNotification', (p) => p.connectorId === c, { since: m })).payload.status;
  assert.deepEqual(sn, { 0: 'Available', 1: 'Available', 2: 'Available' });
  await csms.settle();
  assert.equal(csms.since(m, 'StopTransaction').length, 1);
  const h = (await ev.history())[0];
  assert.equal(h.stop_reason, 'PowerLoss');
  assert.ok(Math.abs(h.energy_wh - energy) < 1e-6, `history ${h.energy_wh} = ${energy}`);

  // Once delivered it is gone: another restart sends no StopTransaction.
  await ev.stop();
  const m2 = csms.mark();
  await ev.restart();
  await booted(csms, 2, m2);
  assert.equal(csms.since(m2, 'StopTransaction').length, 0);
  await ev.stop();
});
