// SPDX-License-Identifier: MIT
//
// OCTT TC_040_1_CS "Configuration key - NotSupported" (C3).
// ChangeConfiguration of a key the charge point does not know (key
// "Testing", value "true") answers NotSupported and nothing changes; so do
// optional keys evsed does not have (ConnectorSwitch3to1PhaseSupported) and
// evsed's own non-OCPP settings.
import { run, assert, booted } from './lib/evsed.mjs';

run('TC_040_1', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  for (const [key, value] of [['Testing', 'true'], ['ConnectorSwitch3to1PhaseSupported', 'true'],
    ['ocpp.url', 'ws://elsewhere/'], ['profile', 'mq200']])
    assert.deepEqual(await csms.call('ChangeConfiguration', { key, value }), { status: 'NotSupported' }, key);
  assert.equal(await ev.config('profile'), 'io7');
  const r = await csms.call('GetConfiguration', { key: ['Testing'] });
  assert.deepEqual(r, { unknownKey: ['Testing'] });
  await ev.stop();
});
