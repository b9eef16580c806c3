// SPDX-License-Identifier: MIT
//
// OCTT TC_040_2_CS "Configuration key - invalid value" (C3).
// ChangeConfiguration with a value the key cannot take is Rejected and the
// value is unchanged (not a number, out of range, not a boolean, an
// unknown measurand); a read-only key is Rejected too.
import { run, assert, booted } from './lib/evsed.mjs';

run('TC_040_2', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const cases = [
    ['MeterValueSampleInterval', '-1'],
    ['MeterValueSampleInterval', 'abc'],
    ['HeartbeatInterval', '1e9'],
    ['ConnectionTimeOut', '12.5'],
    ['LocalPreAuthorize', 'yes'],
    ['MeterValuesSampledData', 'Energy.Active.Import.Register,NoSuchMeasurand'],
    ['NumberOfConnectors', '4'],
    ['SupportedFeatureProfiles', 'Core,SmartCharging'],
  ];
  const before = {};
  for (const [key] of cases)
    before[key] = (await csms.call('GetConfiguration', { key: [key] })).configurationKey[0].value;
  for (const [key, value] of cases)
    assert.deepEqual(await csms.call('ChangeConfiguration', { key, value }), { status: 'Rejected' },
      `${key} = ${value}`);
  for (const [key] of cases)
    assert.equal((await csms.call('GetConfiguration', { key: [key] })).configurationKey[0].value, before[key],
      `${key} unchanged`);
  await ev.stop();
});
