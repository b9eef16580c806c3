// SPDX-License-Identifier: MIT
//
// OCTT TC_055_CS "Trigger Message - Rejected" (C9). TriggerMessage
// MeterValues for connectorId NumberOfConnectors + 1: Rejected, and nothing
// is sent. So is StatusNotification for a connector that does not exist,
// and MeterValues for connector 0 (the charger has no meter of its own).
import { run, assert, booted } from './lib/evsed.mjs';

run('TC_055', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const n = Number((await csms.call('GetConfiguration', { key: ['NumberOfConnectors'] })).configurationKey[0].value);
  const m = csms.mark();
  for (const [requestedMessage, connectorId] of [['MeterValues', n + 1], ['StatusNotification', n + 1],
    ['MeterValues', 0]])
    assert.deepEqual(await csms.call('TriggerMessage', { requestedMessage, connectorId }), { status: 'Rejected' },
      `${requestedMessage} ${connectorId}`);
  await csms.settle(500);
  assert.equal(csms.since(m).length, 0, `nothing sent: ${csms.summary(m)}`);
  await ev.stop();
});
