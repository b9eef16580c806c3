// SPDX-License-Identifier: MIT
//
// OCTT TC_038_CS "Offline Stop Transaction" (C5).
// Charging; the connection is lost; the driver stops with the same card
// (no CSMS needed). Back online: StopTransaction (reason Local, idTag,
// the transactionId, meterStop and timestamp of the moment it stopped
// offline) and StatusNotification Finishing.
import { run, assert, booted, charging, secs } from './lib/evsed.mjs';

run('TC_038', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const { start, tx } = await charging(ev, csms);
  await ev.advanceSteps(30, 30);

  await ev.offline();
  const m = csms.mark();
  await ev.advance(15);
  await ev.swipe('CARD1');
  const energy = (await ev.conn(1)).energy_wh;
  assert.equal((await ev.conn(1)).state, 'Finishing');
  await ev.advance(20);
  await ev.online();
  const stop = await csms.waitFor('StopTransaction', () => true, { since: m });
  assert.equal(stop.payload.transactionId, tx);
  assert.ok(stop.payload.reason === undefined || stop.payload.reason === 'Local');
  assert.equal(stop.payload.idTag, 'CARD1');
  assert.equal(stop.payload.meterStop, Math.floor(energy));
  assert.equal(secs(start.payload.timestamp, stop.payload.timestamp), 45, 'the time it stopped offline');
  const fin = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(fin.payload.status, 'Finishing');
  await csms.settle();
  assert.equal(csms.since(m, 'StopTransaction').length, 1);
  await ev.stop();
});
