// SPDX-License-Identifier: MIT
//
// Power loss while a session is paused (C5): the EV charges for two minutes,
// then pauses for ten (no energy flows, the energy register does not
// change), and MeterValues keep being sampled into the queue with the CSMS
// unreachable. evsed is killed with SIGKILL and started again. The session
// is closed as PowerLoss, and at the CSMS its StopTransaction is not earlier
// than the MeterValues sent before it (the time a cut session ended is the
// time the registers were last saved, and they are saved with every queued
// reading, changed or not), nor is its meterStop below their readings.

import { assert, test, freePort, waitFor, evsedArgs, Csms } from './lib.mjs';

const T0 = '2030-01-01T00:00:00Z';
const CHARGE_S = 120;
const PAUSE_S = 600;
const SAMPLE_S = 60; // MeterValueSampleInterval (the default)

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const energyOf = (mv) => {
  const s = mv.sampledValue.find((v) => (v.measurand || 'Energy.Active.Import.Register') === 'Energy.Active.Import.Register');
  return s ? Number(s.value) : undefined;
};

test('power_loss_paused', async (t) => {
  const port = await freePort();
  const url = `ws://127.0.0.1:${port}/ocpp`;
  let d = await t.start(evsedArgs({ url, start: T0 }));
  await d.ok('card', 'add', 'CARD1');
  await d.ok('plug', '1');
  await d.ok('swipe', 'CARD1');
  await d.ok('ev', '1', 'charge');
  await d.advance(CHARGE_S);
  await d.ok('ev', '1', 'pause');
  await d.advance(PAUSE_S);
  const c = await d.conn(1);
  assert.equal(c.state, 'SuspendedEV', `the paused EV: ${JSON.stringify(c)}`);
  await d.killHard();

  const restartAt = iso(Date.parse(T0) + (CHARGE_S + PAUSE_S + 300) * 1000);
  d = await t.start(evsedArgs({ url, start: restartAt }));
  const h = await d.history();
  assert.equal(h.length, 1, `one session: ${JSON.stringify(h)}`);
  assert.equal(h[0].stop_reason, 'PowerLoss');
  const lastSample = iso(Date.parse(T0) + Math.floor((CHARGE_S + PAUSE_S) / SAMPLE_S) * SAMPLE_S * 1000);
  assert.ok(h[0].end >= lastSample,
    `the session ended (${h[0].end}) no earlier than its last sampled reading (${lastSample})`);

  const csms = new Csms();
  t.defer(() => csms.close());
  t.note(() => csms.log());
  await csms.listen(port);
  let st;
  await waitFor(async () => {
    st = await d.status();
    return st.ocpp.connected && st.ocpp.queued_messages === 0 && csms.of('StopTransaction').length === 1;
  }, 30000, 'the queue to drain at the CSMS', 100);
  assert.deepEqual(csms.failures, [], 'no strict validation failure at the CSMS');
  const mvs = csms.of('MeterValues').filter((m) => m.params.transactionId !== undefined);
  assert.equal(mvs.length, (CHARGE_S + PAUSE_S) / SAMPLE_S, 'one MeterValues per minute, paused or not');
  const stop = csms.of('StopTransaction')[0].params;
  assert.equal(stop.reason, 'PowerLoss');
  const last = mvs[mvs.length - 1].params.meterValue[0];
  assert.ok(stop.timestamp >= last.timestamp,
    `StopTransaction at ${stop.timestamp} is not earlier than the last MeterValues at ${last.timestamp}`);
  assert.ok(stop.meterStop >= Math.floor(energyOf(last)),
    `meterStop ${stop.meterStop} is not below the last reading ${energyOf(last)}`);
});
