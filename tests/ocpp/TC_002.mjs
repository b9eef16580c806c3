// SPDX-License-Identifier: MIT
//
// OCTT TC_002_CS "Cold Boot Charge Point - Pending" (C2, C3).
// BootNotification answered Pending (interval 30 s): the CSMS reads and
// changes configuration meanwhile (GetConfiguration, ChangeConfiguration
// Accepted), a RemoteStartTransaction is refused, the charge point sends
// nothing of its own and boots again after 30 s; Accepted then: one
// StatusNotification per connector and connector 0, Heartbeats every
// interval, and the configuration changed while pending is kept.
import { run, assert, none } from './lib/evsed.mjs';

run('TC_002', async (t) => {
  const csms = await t.csms();
  let boots = 0;
  csms.on('BootNotification', () => (++boots === 1
    ? { status: 'Pending', currentTime: csms.now(), interval: 30 }
    : { status: 'Accepted', currentTime: csms.now(), interval: 120 }));
  const ev = await t.evsed(csms);
  await csms.settle();

  const got = await csms.call('GetConfiguration', { key: ['HeartbeatInterval', 'MeterValueSampleInterval'] });
  assert.deepEqual(got.configurationKey.map((k) => [k.key, k.readonly, k.value]),
    [['HeartbeatInterval', false, '300'], ['MeterValueSampleInterval', false, '60']]);
  assert.equal(got.unknownKey, undefined, 'no unknown key');
  const changed = await csms.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '30' });
  assert.deepEqual(changed, { status: 'Accepted' });
  await assert.rejects(csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'CARD1' }),
    (e) => e.rpcErrorCode === 'SecurityError', 'RemoteStartTransaction is refused while pending');

  // Nothing but the BootNotification until the interval has passed.
  await ev.advance(29);
  await csms.settle();
  assert.deepEqual(csms.frames.map((f) => f.action), ['BootNotification'],
    'while pending the charge point sends nothing of its own');
  await ev.advance(1);
  const boot2 = await csms.waitFor('BootNotification', () => true, { since: 1 });
  for (const c of [0, 1, 2]) {
    const sn = await csms.waitFor('StatusNotification', (p) => p.connectorId === c, { since: boot2.n });
    assert.equal(sn.payload.status, 'Available');
  }
  await csms.settle();
  assert.equal(csms.since(boot2.n, 'StatusNotification').length, 3);
  assert.equal(await ev.config('MeterValueSampleInterval'), '30', 'the change made while pending is kept');
  assert.equal(await ev.config('HeartbeatInterval'), '120');

  const m = csms.mark();
  await ev.advance(119);
  await csms.settle();
  none(csms, 'Heartbeat', m);
  await ev.advance(1);
  await csms.waitFor('Heartbeat', () => true, { since: m });
  await ev.stop();
});
