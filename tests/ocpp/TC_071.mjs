// SPDX-License-Identifier: MIT
//
// OCTT TC_071_CS "Clock-aligned Meter Values" (C4).
// MeterValueSampleInterval 0, ClockAlignedDataInterval 60,
// MeterValuesAlignedData (read with GetConfiguration) Energy and Power.
// The CSMS's clock is 30 s ahead of the charger's at boot
// (BootNotification.conf currentTime sets it), so the readings must be
// aligned to the corrected clock. Charging from 00:00:45: MeterValues at
// 00:01:00, 00:02:00, 00:03:00 exactly, context Sample.Clock, one
// sampledValue per configured measurand, with the transactionId for the
// charging connector; the idle connector's readings carry none. After a
// restart (clock wrong again until the BootNotification.conf) the readings
// still fall on the CSMS's whole minutes.
import { run, assert, booted, charging, none } from './lib/evsed.mjs';

run('TC_071', async (t) => {
  const csms = await t.csms({ clockStart: '2026-01-01T00:00:30Z' });
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  assert.equal((await csms.call('GetConfiguration', { key: ['MeterValuesAlignedData'] }))
    .configurationKey[0].value, 'Energy.Active.Import.Register');
  for (const [key, value] of [['MeterValueSampleInterval', '0'], ['ClockAlignedDataInterval', '60'],
    ['MeterValuesAlignedData', 'Energy.Active.Import.Register,Power.Active.Import']])
    assert.deepEqual(await csms.call('ChangeConfiguration', { key, value }), { status: 'Accepted' });
  assert.equal((await ev.status()).time, '2026-01-01T00:00:30Z', 'the clock follows the CSMS');

  await ev.advance(15);
  const { tx, start } = await charging(ev, csms);
  assert.equal(start.payload.timestamp, '2026-01-01T00:00:45Z');
  const m = csms.mark();
  await ev.advance(14);
  await csms.settle();
  none(csms, 'MeterValues', m, () => true, 'nothing before 00:01:00');
  await ev.advance(1);
  await csms.settle();
  await ev.advanceSteps(120, 60);
  const mvs = csms.since(m, 'MeterValues');
  const c1 = mvs.filter((f) => f.payload.connectorId === 1);
  const c2 = mvs.filter((f) => f.payload.connectorId === 2);
  assert.deepEqual(c1.map((f) => f.payload.meterValue[0].timestamp),
    ['2026-01-01T00:01:00Z', '2026-01-01T00:02:00Z', '2026-01-01T00:03:00Z']);
  assert.equal(c2.length, 3, 'the idle connector is read too');
  for (const f of c1) assert.equal(f.payload.transactionId, tx);
  for (const f of c2) assert.equal(f.payload.transactionId, undefined);
  for (const f of mvs) {
    const sv = f.payload.meterValue[0].sampledValue;
    assert.deepEqual(sv.map((s) => s.measurand), ['Energy.Active.Import.Register', 'Power.Active.Import']);
    for (const s of sv) assert.equal(s.context, 'Sample.Clock');
  }
  await ev.stop();

  // Restarted, the charger's clock is wrong again until the
  // BootNotification.conf: the readings still fall on the CSMS's minutes.
  csms.advance(7); // the CSMS's clock: 00:03:07
  const m2 = csms.mark();
  await ev.restart();
  await booted(csms, 2, m2);
  assert.equal((await ev.status()).time, '2026-01-01T00:03:07Z');
  const m3 = csms.mark();
  await ev.advance(52);
  await csms.settle();
  none(csms, 'MeterValues', m3, () => true, 'nothing before 00:04:00');
  await ev.advance(1);
  const mv = await csms.waitFor('MeterValues', () => true, { since: m3 });
  assert.equal(mv.payload.meterValue[0].timestamp, '2026-01-01T00:04:00Z');
  await ev.stop();
});
