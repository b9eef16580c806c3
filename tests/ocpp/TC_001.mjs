// SPDX-License-Identifier: MIT
//
// OCTT TC_001_CS "Cold Boot Charge Point" (C1, C2).
// The CSMS first answers the BootNotification with Rejected (interval 60 s):
// the charge point sends nothing else and tries again only after the
// interval. Accepted (interval 60 s) then: one StatusNotification per
// connector and for connector 0, all Available / NoError, and a Heartbeat
// every 60 s (HeartbeatInterval follows the interval given).
import { run, assert, none, isUtc, SIM_START } from './lib/evsed.mjs';

run('TC_001', async (t) => {
  const csms = await t.csms();
  let boots = 0;
  csms.on('BootNotification', () => (++boots === 1
    ? { status: 'Rejected', currentTime: csms.now(), interval: 60 }
    : { status: 'Accepted', currentTime: csms.now(), interval: 60 }));
  const ev = await t.evsed(csms);
  const boot = csms.frames[0];
  assert.equal(boot.action, 'BootNotification', 'the first message is a BootNotification');
  assert.equal(boot.payload.chargePointVendor, 'Ratio');
  assert.equal(boot.payload.chargePointModel, 'io7');
  assert.equal(boot.payload.chargePointSerialNumber, 'RATIOIO7000001');

  // Rejected: nothing else, and no second BootNotification before 60 s.
  await csms.settle();
  await ev.advance(59);
  await csms.settle();
  assert.deepEqual(csms.frames.map((f) => f.action), ['BootNotification'],
    'while rejected the charge point sends nothing but the BootNotification');
  await ev.advance(1);
  const boot2 = await csms.waitFor('BootNotification', () => true, { since: 1 });
  assert.deepEqual(boot2.payload, boot.payload, 'the second BootNotification is the same');

  // Accepted: connector 0, 1 and 2 reported Available.
  for (const c of [0, 1, 2]) {
    const sn = await csms.waitFor('StatusNotification', (p) => p.connectorId === c);
    assert.equal(sn.payload.status, 'Available', `connector ${c}`);
    assert.equal(sn.payload.errorCode, 'NoError', `connector ${c}`);
    assert.ok(isUtc(sn.payload.timestamp) && Date.parse(sn.payload.timestamp) >= Date.parse(SIM_START) + 60000,
      `connector ${c} timestamp ${sn.payload.timestamp}`);
  }
  await csms.settle();
  // (The security extension's StartupOfTheDevice event, C12, follows them.)
  assert.deepEqual(csms.frames.slice(boot2.n + 1).map((f) => f.action)
    .filter((a) => a !== 'SecurityEventNotification'),
    ['StatusNotification', 'StatusNotification', 'StatusNotification'],
    'after Accepted: one StatusNotification per connector and connector 0');
  assert.equal(await ev.config('HeartbeatInterval'), '60', 'HeartbeatInterval follows the interval');

  // A Heartbeat every 60 s, not earlier.
  for (let i = 0; i < 2; i++) {
    const m = csms.mark();
    await ev.advance(59);
    await csms.settle();
    none(csms, 'Heartbeat', m, () => true, 'before the interval');
    await ev.advance(1);
    await csms.waitFor('Heartbeat', () => true, { since: m });
    await csms.settle();
    assert.equal(csms.since(m).length, 1, `only a Heartbeat in interval ${i + 1}: ${csms.summary(m)}`);
  }
  await ev.stop();
});
