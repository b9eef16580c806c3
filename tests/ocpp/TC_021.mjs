// SPDX-License-Identifier: MIT
//
// OCTT TC_021_CS "Change/set Configuration" (C3, C4).
// ChangeConfiguration MeterValueSampleInterval = 45: Accepted, and
// GetConfiguration then returns 45. The change takes effect (a transaction
// then gets a MeterValues every 45 s) and survives a restart.
import { run, assert, booted, charging, secs } from './lib/evsed.mjs';

run('TC_021', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  assert.equal((await csms.call('GetConfiguration', { key: ['MeterValueSampleInterval'] }))
    .configurationKey[0].value, '60');
  assert.deepEqual(await csms.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '45' }),
    { status: 'Accepted' });
  assert.deepEqual((await csms.call('GetConfiguration', { key: ['MeterValueSampleInterval'] })).configurationKey,
    [{ key: 'MeterValueSampleInterval', readonly: false, value: '45' }]);

  const { start } = await charging(ev, csms);
  const m = csms.mark();
  await ev.advanceSteps(90, 45);
  const mvs = csms.since(m, 'MeterValues');
  assert.deepEqual(mvs.map((f) => secs(start.payload.timestamp, f.payload.meterValue[0].timestamp)), [45, 90]);
  await ev.stop();

  await ev.restart();
  assert.equal((await csms.call('GetConfiguration', { key: ['MeterValueSampleInterval'] }))
    .configurationKey[0].value, '45', 'the change is persisted');
  await ev.stop();
});
