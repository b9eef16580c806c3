// SPDX-License-Identifier: MIT
//
// OCTT TC_039_CS "Offline Transaction" (C5, C4, B3).
// Offline from the start (AllowOfflineTxForUnknownId true): a whole
// transaction happens (start, two sampled MeterValues, stop by the same
// card, EV leaves). Back online, in this order: StartTransaction (original
// timestamp, meterStart), the two MeterValues and the StopTransaction
// (reason Local) all carrying the transactionId the CSMS gave (4711: the
// local session number is remapped), timestamps as they happened,
// meterStop - meterStart = the energy in the history.
import { run, assert, booted, secs } from './lib/evsed.mjs';

run('TC_039', async (t) => {
  const csms = await t.csms();
  csms.on('StartTransaction', () => ({ transactionId: 4711, idTagInfo: { status: 'Accepted' } }));
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  assert.deepEqual(await csms.call('ChangeConfiguration', { key: 'AllowOfflineTxForUnknownId', value: 'true' }),
    { status: 'Accepted' });

  await ev.offline();
  const m = csms.mark();
  await ev.advance(5);
  await ev.plug(1);
  await ev.ev(1, 'charge');
  await ev.swipe('OFF1');
  await ev.advance(130);
  await ev.swipe('OFF1');
  await ev.advance(5);
  await ev.unplug(1);
  const h = (await ev.history())[0];
  assert.equal(h.stop_reason, 'Local');
  await ev.advance(60);

  await ev.online();
  const stop = await csms.waitFor('StopTransaction', () => true, { since: m });
  await csms.settle();
  const tx = csms.since(m).filter((f) => ['StartTransaction', 'MeterValues', 'StopTransaction'].includes(f.action));
  assert.deepEqual(tx.map((f) => f.action), ['StartTransaction', 'MeterValues', 'MeterValues', 'StopTransaction']);
  const [start, mv1, mv2] = tx;
  assert.equal(start.payload.idTag, 'OFF1');
  assert.equal(start.payload.timestamp, '2026-01-01T00:00:05Z');
  assert.equal(start.payload.meterStart, 0);
  for (const f of [mv1, mv2, stop]) assert.equal(f.payload.transactionId, 4711, `${f.action} remapped`);
  assert.deepEqual([mv1, mv2].map((f) => secs(start.payload.timestamp, f.payload.meterValue[0].timestamp)), [60, 120]);
  assert.equal(secs(start.payload.timestamp, stop.payload.timestamp), 130);
  assert.ok(stop.payload.reason === undefined || stop.payload.reason === 'Local');
  assert.equal(stop.payload.idTag, 'OFF1');
  assert.ok(Math.abs(stop.payload.meterStop - start.payload.meterStart - h.energy_wh) < 1,
    `meterStop - meterStart = ${h.energy_wh} Wh`);
  assert.equal((await ev.status()).ocpp.queued_messages, 0);
  await ev.stop();
});
