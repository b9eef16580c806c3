// SPDX-License-Identifier: MIT
//
// OCTT TC_003_CS "Regular Charging Session - Plugin First" (C2, C4, C5).
// EV plugs in: StatusNotification Preparing. Card presented: Authorize,
// StartTransaction (connector, idTag, meterStart = the energy register),
// StatusNotification Charging. Meter values while charging carry the
// transactionId. The same card stops it: StopTransaction (reason Local,
// idTag, meterStop = the register, timestamps in order), Finishing, and
// Available once the EV leaves.
import { run, assert, booted, statuses, none, sampled, secs } from './lib/evsed.mjs';

run('TC_003', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);

  let m = csms.mark();
  await ev.plug(1);
  const prep = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(prep.payload.status, 'Preparing');
  assert.equal(prep.payload.errorCode, 'NoError');

  const before = (await ev.conn(1)).energy_wh;
  m = csms.mark();
  await ev.ev(1, 'charge'); // the EV is ready: Charging as soon as it is allowed
  await ev.swipe('CARD1');
  const auth = await csms.waitFor('Authorize', () => true, { since: m });
  assert.deepEqual(auth.payload, { idTag: 'CARD1' });
  const start = await csms.waitFor('StartTransaction', () => true, { since: m });
  assert.ok(start.n > auth.n, 'Authorize before StartTransaction');
  assert.equal(start.payload.connectorId, 1);
  assert.equal(start.payload.idTag, 'CARD1');
  assert.equal(start.payload.meterStart, Math.floor(before), 'meterStart is the energy register');
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Charging', { since: m });
  await csms.settle();
  const tx = start.answer.transactionId;
  const c1 = await ev.conn(1);
  assert.equal(c1.state, 'Charging');
  assert.equal(c1.transaction_id, tx, 'status shows the CSMS transactionId');

  // Two sampled MeterValues (MeterValueSampleInterval 60 s by default).
  m = csms.mark();
  await ev.advanceSteps(120, 60);
  const mvs = csms.since(m, 'MeterValues');
  assert.equal(mvs.length, 2, `two MeterValues in 120 s: ${csms.summary(m)}`);
  for (const f of mvs) {
    assert.equal(f.payload.transactionId, tx);
    assert.equal(f.payload.connectorId, 1);
    assert.ok(Date.parse(f.payload.meterValue[0].timestamp) > Date.parse(start.payload.timestamp));
  }
  const energy = (await ev.conn(1)).energy_wh;
  assert.ok(energy > before + 500, `the EV drew energy: ${energy} Wh`);
  assert.ok(Math.abs(sampled(mvs[1].payload.meterValue[0]) - energy) < 0.1, 'last sample = the register now');

  // The same card stops the transaction.
  m = csms.mark();
  await ev.swipe('CARD1');
  const stop = await csms.waitFor('StopTransaction', () => true, { since: m });
  none(csms, 'Authorize', m, () => true, 'the card that started the transaction stops it without asking');
  assert.equal(stop.payload.transactionId, tx);
  assert.equal(stop.payload.idTag, 'CARD1');
  assert.ok(stop.payload.reason === undefined || stop.payload.reason === 'Local', `reason ${stop.payload.reason}`);
  assert.equal(stop.payload.meterStop, Math.floor(energy), 'meterStop is the energy register');
  assert.equal(secs(start.payload.timestamp, stop.payload.timestamp), 120, 'stop 120 s after start');
  const fin = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(fin.payload.status, 'Finishing');
  await csms.settle();

  m = csms.mark();
  await ev.unplug(1);
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Available', { since: m });
  const h = (await ev.history())[0];
  assert.equal(h.stop_reason, 'Local');
  assert.ok(Math.abs(h.energy_wh - (stop.payload.meterStop - start.payload.meterStart)) < 1,
    `history energy ${h.energy_wh} = meterStop - meterStart`);
  assert.deepEqual(statuses(csms, 1), ['Available', 'Preparing', 'Charging', 'Finishing', 'Available']);
  await ev.stop();
});
