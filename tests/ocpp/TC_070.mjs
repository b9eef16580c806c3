// SPDX-License-Identifier: MIT
//
// OCTT TC_070_CS "Sampled Meter Values" (C4).
// MeterValueSampleInterval 30, ClockAlignedDataInterval 0,
// MeterValuesSampledData read with GetConfiguration and set to five
// measurands. Charging for three intervals: a MeterValues every 30 s after
// the start, with the transactionId, context Sample.Periodic, format Raw,
// no location EV, one sampledValue per measurand (per phase for
// Current.Import and Voltage, phase-to-neutral L1-N...), units and values
// matching the charger's meter. The StopTransaction's transactionData holds
// StopTxnSampledData: Transaction.Begin, the samples, Transaction.End.
import { run, assert, booted, charging, secs, sampled } from './lib/evsed.mjs';

const MEASURANDS = 'Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,Current.Offered';

run('TC_070', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const cfg = await csms.call('GetConfiguration', { key: ['MeterValuesSampledData', 'ClockAlignedDataInterval'] });
  assert.equal(cfg.configurationKey[0].value, 'Energy.Active.Import.Register,Power.Active.Import');
  assert.equal(cfg.configurationKey[1].value, '0');
  for (const [key, value] of [['MeterValueSampleInterval', '30'], ['MeterValuesSampledData', MEASURANDS]])
    assert.deepEqual(await csms.call('ChangeConfiguration', { key, value }), { status: 'Accepted' });

  const { start, tx } = await charging(ev, csms);
  const m = csms.mark();
  await ev.advanceSteps(90, 30);
  const mvs = csms.since(m, 'MeterValues');
  assert.equal(csms.since(m).length, 3, `only three MeterValues: ${csms.summary(m)}`);
  let last = -1;
  mvs.forEach((f, i) => {
    assert.equal(f.payload.connectorId, 1);
    assert.equal(f.payload.transactionId, tx);
    assert.equal(f.payload.meterValue.length, 1);
    const mv = f.payload.meterValue[0];
    assert.equal(secs(start.payload.timestamp, mv.timestamp), 30 * (i + 1));
    const got = mv.sampledValue.map((s) => `${s.measurand}/${s.phase ?? ''}/${s.unit ?? ''}`);
    assert.deepEqual(got, ['Energy.Active.Import.Register//Wh', 'Power.Active.Import//W',
      'Current.Import/L1/A', 'Current.Import/L2/A', 'Current.Import/L3/A',
      'Voltage/L1-N/V', 'Voltage/L2-N/V', 'Voltage/L3-N/V', 'Current.Offered//A']);
    for (const s of mv.sampledValue) {
      assert.equal(s.context ?? 'Sample.Periodic', 'Sample.Periodic');
      assert.equal(s.format ?? 'Raw', 'Raw');
      assert.notEqual(s.location, 'EV');
      assert.ok(Number.isFinite(Number(s.value)), `${s.measurand} = ${s.value}`);
    }
    const e = sampled(mv);
    assert.ok(e > last, 'the energy register rises');
    last = e;
    assert.ok(Math.abs(sampled(mv, 'Power.Active.Import') - 22066.2) < 1);
    assert.ok(Math.abs(sampled(mv, 'Current.Import') - 31.98) < 0.01);
    assert.ok(Math.abs(sampled(mv, 'Voltage') - 230) < 0.5);
    assert.equal(sampled(mv, 'Current.Offered'), 32);
  });

  const m2 = csms.mark();
  await ev.swipe('CARD1');
  const stop = await csms.waitFor('StopTransaction', () => true, { since: m2 });
  const td = stop.payload.transactionData;
  assert.ok(Array.isArray(td) && td.length === 5, `transactionData: ${JSON.stringify(td)}`);
  assert.deepEqual(td.map((v) => v.sampledValue[0].context),
    ['Transaction.Begin', 'Sample.Periodic', 'Sample.Periodic', 'Sample.Periodic', 'Transaction.End']);
  for (const v of td) {
    assert.deepEqual(v.sampledValue.map((s) => s.measurand), ['Energy.Active.Import.Register'], 'StopTxnSampledData');
    assert.ok(secs(start.payload.timestamp, v.timestamp) >= 0, 'not before the start');
  }
  assert.equal(Number(td[0].sampledValue[0].value), start.payload.meterStart);
  assert.equal(Math.floor(Number(td[4].sampledValue[0].value)), stop.payload.meterStop);
  await ev.stop();
});
