// SPDX-License-Identifier: MIT
//
// OCTT TC_036_CS "Connection Loss During Transaction" (C4, C5).
// MeterValueSampleInterval 60 s; Charging; the connection is lost for
// three intervals. Back online, every MeterValues sampled meanwhile is
// delivered, in chronological order, 60 s apart, with the transactionId,
// format Raw and context Sample.Periodic, before any new one.
import { run, assert, booted, charging, secs } from './lib/evsed.mjs';

run('TC_036', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const { start, tx } = await charging(ev, csms);

  await ev.offline();
  const m = csms.mark();
  await ev.advance(180);
  assert.equal((await ev.status()).ocpp.connected, false);
  assert.equal((await ev.status()).ocpp.queued_messages, 3, 'three MeterValues wait in the queue');
  await ev.online();
  for (let i = 0; i < 3; i++) await csms.waitFor('MeterValues', () => true, { since: m + i });
  await csms.settle();
  await ev.advance(60);
  await csms.waitFor('MeterValues', () => true, { since: m + 3 });
  await csms.settle();

  const mvs = csms.since(m, 'MeterValues');
  assert.equal(csms.since(m).length, mvs.length, `only MeterValues after the outage: ${csms.summary(m)}`);
  assert.deepEqual(mvs.map((f) => secs(start.payload.timestamp, f.payload.meterValue[0].timestamp)),
    [60, 120, 180, 240], 'queued values first, in order, 60 s apart');
  for (const f of mvs) {
    assert.equal(f.payload.transactionId, tx);
    for (const s of f.payload.meterValue[0].sampledValue) {
      assert.ok(s.format === undefined || s.format === 'Raw');
      assert.ok(s.context === undefined || s.context === 'Sample.Periodic');
    }
  }
  await ev.stop();
});
