// SPDX-License-Identifier: MIT
//
// OCTT TC_054_CS "Trigger Message" (C9). TriggerMessage for MeterValues,
// Heartbeat, StatusNotification, DiagnosticsStatusNotification and
// FirmwareStatusNotification (and BootNotification): each Accepted, and
// the message follows the TriggerMessage.conf. MeterValues with context
// Trigger; the StatusNotification although nothing changed; Diagnostics and
// Firmware status Idle (Firmware Management is not built: nothing runs).
// Without connectorId, one message per connector (StatusNotification also
// for connector 0); a connectorId that does not matter is ignored.
// First, while the BootNotification is Pending: a triggered
// StatusNotification goes out (nothing else does), and a triggered
// BootNotification answered Accepted ends the wait.
import { run, assert, booted, none } from './lib/evsed.mjs';

run('TC_054', async (t) => {
  const csms = await t.csms();
  csms.on('BootNotification', () => ({ status: 'Pending', currentTime: csms.now(), interval: 600 }));
  const ev = await t.evsed(csms);
  await csms.settle();
  assert.equal((await ev.status()).ocpp.boot, 'Pending');
  let m = csms.mark();
  assert.deepEqual(await csms.call('TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 0 }),
    { status: 'Accepted' });
  csms.assertAfterAnswer(await csms.waitFor('StatusNotification', (p) => p.connectorId === 0, { since: m }));
  await ev.plug(1); // not triggered: not sent while Pending
  await csms.settle();
  assert.equal(csms.since(m).length, 1, csms.summary(m));
  csms.on('BootNotification', null);
  m = csms.mark();
  assert.deepEqual(await csms.call('TriggerMessage', { requestedMessage: 'BootNotification' }),
    { status: 'Accepted' });
  csms.assertAfterAnswer(await csms.waitFor('BootNotification', () => true, { since: m }));
  await booted(csms, 2, m);
  assert.equal((await ev.status()).ocpp.boot, 'Accepted');
  await ev.unplug(1);
  await csms.settle();
  none(csms, 'Authorize', m);
  await ev.advance(4);

  const trigger = async (requestedMessage, connectorId, action, n = 1) => {
    await ev.advance(1); // each reading at its own time
    const m = csms.mark();
    const req = connectorId === undefined ? { requestedMessage } : { requestedMessage, connectorId };
    assert.deepEqual(await csms.call('TriggerMessage', req), { status: 'Accepted' }, requestedMessage);
    const got = [];
    for (let k = 0; k < n; k++) {
      const f = await csms.waitFor(action, (p, fr) => !got.includes(fr), { since: m });
      csms.assertAfterAnswer(f);
      got.push(f);
    }
    await csms.settle();
    assert.equal(csms.since(m).length, n, `${requestedMessage}: ${csms.summary(m)}`);
    return got.map((f) => f.payload);
  };

  const [mv] = await trigger('MeterValues', 1, 'MeterValues');
  assert.equal(mv.connectorId, 1);
  assert.equal(mv.transactionId, undefined);
  assert.ok(mv.meterValue[0].sampledValue.every((s) => s.context === 'Trigger'));
  const both = await trigger('MeterValues', undefined, 'MeterValues', 2);
  assert.deepEqual(both.map((p) => p.connectorId), [1, 2]);
  await trigger('Heartbeat', undefined, 'Heartbeat');
  const [sn] = await trigger('StatusNotification', 1, 'StatusNotification');
  assert.deepEqual([sn.connectorId, sn.status, sn.errorCode], [1, 'Available', 'NoError']);
  assert.equal(sn.timestamp, '2026-01-01T00:00:08Z', 'the time it was sent, not of the last change');
  const all = await trigger('StatusNotification', undefined, 'StatusNotification', 3);
  assert.deepEqual(all.map((p) => p.connectorId), [0, 1, 2]);
  const [diag] = await trigger('DiagnosticsStatusNotification', undefined, 'DiagnosticsStatusNotification');
  assert.deepEqual(diag, { status: 'Idle' });
  const [fw] = await trigger('FirmwareStatusNotification', 2, 'FirmwareStatusNotification');
  assert.deepEqual(fw, { status: 'Idle' });
  const [boot] = await trigger('BootNotification', undefined, 'BootNotification');
  assert.equal(boot.chargePointModel, 'io7');
  assert.equal((await ev.status()).ocpp.boot, 'Accepted');
  await ev.stop();
});
