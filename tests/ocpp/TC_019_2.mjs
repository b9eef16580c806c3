// SPDX-License-Identifier: MIT
//
// OCTT TC_019_CS "Retrieve configuration" - specific keys (TC_019_2) (C3).
// GetConfiguration for one key returns exactly that key; known and unknown
// keys together return both lists; key names are CiString50 (case does not
// matter); more keys than GetConfigurationMaxKeys are refused with a
// CALLERROR and the connection goes on.
import { run, assert, booted } from './lib/evsed.mjs';

run('TC_019_2', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);

  let r = await csms.call('GetConfiguration', { key: ['SupportedFeatureProfiles'] });
  assert.deepEqual(r, { configurationKey: [{ key: 'SupportedFeatureProfiles', readonly: true,
    value: await ev.config('SupportedFeatureProfiles') }] });

  r = await csms.call('GetConfiguration', { key: ['HeartbeatInterval', 'NoSuchKey', 'ConnectionTimeOut'] });
  assert.deepEqual(r.configurationKey, [
    { key: 'HeartbeatInterval', readonly: false, value: '300' },
    { key: 'ConnectionTimeOut', readonly: false, value: '120' },
  ]);
  assert.deepEqual(r.unknownKey, ['NoSuchKey']);

  r = await csms.call('GetConfiguration', { key: ['NoSuchKey'] });
  assert.deepEqual(r, { unknownKey: ['NoSuchKey'] });

  r = await csms.call('GetConfiguration', { key: ['heartbeatinterval'] });
  assert.equal(r.unknownKey, undefined, 'configuration keys are CiString50Type: case-insensitive');
  assert.equal(r.configurationKey.length, 1);
  assert.equal(r.configurationKey[0].value, '300');

  const max = Number((await csms.call('GetConfiguration', { key: ['GetConfigurationMaxKeys'] }))
    .configurationKey[0].value);
  assert.equal(max, 100);
  const many = Array.from({ length: max + 1 }, (_, i) => `Key${i}`);
  await assert.rejects(csms.call('GetConfiguration', { key: many }),
    (e) => /Occur+enceConstraintViolation/.test(e.rpcErrorCode), 'more than GetConfigurationMaxKeys keys');
  r = await csms.call('GetConfiguration', { key: many.slice(0, max) });
  assert.equal(r.unknownKey.length, max, 'GetConfigurationMaxKeys keys are fine');
  await ev.stop();
});
