// SPDX-License-Identifier: MIT
//
// OCTT TC_004_1_CS "Regular Charging Session - Identification First" (C2, C4).
// On a one-connector charger (evplus): the card first (Authorize Accepted,
// StatusNotification Preparing), then the EV plugs in: StartTransaction
// with that idTag and StatusNotification Charging; sampled MeterValues
// every MeterValueSampleInterval (set to 30 s by the CSMS).
import { run, assert, booted, statuses, secs } from './lib/evsed.mjs';

run('TC_004_1', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms, { profile: 'evplus' });
  await booted(csms, 1);
  assert.deepEqual(await csms.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '30' }),
    { status: 'Accepted' });

  let m = csms.mark();
  await ev.swipe('CARD1');
  const auth = await csms.waitFor('Authorize', () => true, { since: m });
  assert.equal(auth.payload.idTag, 'CARD1');
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Preparing', { since: m });
  await csms.settle();
  const st = await ev.status();
  assert.equal(st.pending_authorization, 'CARD1', 'the card waits for an EV');

  await ev.advance(10);
  m = csms.mark();
  await ev.plug(1);
  await ev.ev(1, 'charge');
  const start = await csms.waitFor('StartTransaction', () => true, { since: m });
  assert.equal(start.payload.idTag, 'CARD1', 'the idTag of the Authorize');
  assert.equal(start.payload.connectorId, 1);
  assert.equal(start.payload.timestamp, '2026-01-01T00:00:10Z', 'started when the EV plugged in');
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Charging', { since: m });
  await csms.settle();
  const tx = start.answer.transactionId;

  m = csms.mark();
  await ev.advanceSteps(90, 30);
  const mvs = csms.since(m, 'MeterValues');
  assert.equal(mvs.length, 3, `a MeterValues every 30 s: ${csms.summary(m)}`);
  mvs.forEach((f, i) => {
    assert.equal(f.payload.transactionId, tx);
    assert.equal(secs(start.payload.timestamp, f.payload.meterValue[0].timestamp), 30 * (i + 1));
  });
  // The simulated EV plugs in in state B and asks for power with 'ev 1
  // charge' a moment later: SuspendedEV in between is right.
  assert.deepEqual(statuses(csms, 1), ['Available', 'Preparing', 'SuspendedEV', 'Charging']);
  await ev.stop();
});
