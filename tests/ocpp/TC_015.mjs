// SPDX-License-Identifier: MIT
//
// OCTT TC_015_CS "Hard Reset With Transaction" (C2, C5).
// Charging; Reset Hard (Accepted): the transaction is stopped first
// (StopTransaction reason HardReset, meterStop = the register, Finishing),
// then evsed restarts: the connection drops, a new BootNotification, one
// StatusNotification per connector and connector 0. The simulated EV does
// not survive the restart of the process that simulates it, so connector 1
// comes back Available (OCTT accepts Finishing or Preparing for a real EV
// still plugged in).
import { run, assert, booted, charging } from './lib/evsed.mjs';

export async function resetWithTransaction(t, type, reason) {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const { tx } = await charging(ev, csms);
  await ev.advanceSteps(60, 60);
  const energy = (await ev.conn(1)).energy_wh;

  const m = csms.mark();
  assert.deepEqual(await csms.call('Reset', { type }), { status: 'Accepted' });
  const stop = await csms.waitFor('StopTransaction', () => true, { since: m });
  csms.assertAfterAnswer(stop);
  assert.equal(stop.payload.transactionId, tx);
  assert.equal(stop.payload.reason, reason);
  assert.equal(stop.payload.meterStop, Math.floor(energy));
  const fin = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(fin.payload.status, 'Finishing');
  assert.ok(fin.n > stop.n, 'Finishing after the StopTransaction');

  await csms.waitConnected(2);
  const boot = await csms.waitFor('BootNotification', () => true, { since: m });
  assert.ok(boot.n > fin.n, 'the transaction is stopped before the reboot');
  const sn = {};
  for (const c of [0, 1, 2])
    sn[c] = (await csms.waitFor('StatusNotification', (p) => p.connectorId === c, { since: boot.n })).payload.status;
  assert.deepEqual(sn, { 0: 'Available', 1: 'Available', 2: 'Available' });
  await csms.settle();
  assert.equal(csms.since(m, 'StopTransaction').length, 1, 'one StopTransaction, not repeated after the boot');
  await ev.d.waitReady();
  const h = await ev.history();
  assert.equal(h[0].stop_reason, reason);
  assert.equal(h[0].end, stop.payload.timestamp);
  await ev.stop();
}

if (process.argv[1].endsWith('TC_015.mjs'))
  run('TC_015', (t) => resetWithTransaction(t, 'Hard', 'HardReset'));
