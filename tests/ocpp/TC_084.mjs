// SPDX-License-Identifier: MIT
//
// OCTT TC_084_CS "Downgrade security profile - Rejected" (C12), as the OCTT
// test case document (2025-06 draft) describes it: connected with a security
// profile, ChangeConfiguration SecurityProfile one level lower is Rejected.
// Here the charger runs security profile 1 (Basic auth over ws://, the only
// one a plain test CSMS allows; set by the installer with evsectl); on top: 0 is Rejected and the key keeps 1
// (also after a restart); 2 is Rejected while the CSMS URL is ws:// and nothing
// would verify a TLS server (no Central System root installed, no ocpp.ca_file);
// 3 is Rejected (no charge point certificate); 1 again is Accepted (and
// reconnects with it); a
// value that is not a profile is Rejected.
import { run, assert, booted } from './lib/evsed.mjs';

run('TC_084', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms, { args: ['--set', 'ocpp.password=Secret-0123456789'] });
  await booted(csms, 2);
  // The installer sets the profile (a --set value would be fixed for the CSMS).
  await ev.configSet('SecurityProfile', 1);
  const set = (value) => csms.call('ChangeConfiguration', { key: 'SecurityProfile', value });
  const get = async () => (await csms.call('GetConfiguration', { key: ['SecurityProfile'] })).configurationKey[0];
  assert.deepEqual(await get(), { key: 'SecurityProfile', readonly: false, value: '1' });
  assert.deepEqual(await set('0'), { status: 'Rejected' }, 'no downgrade');
  assert.deepEqual(await set('2'), { status: 'Rejected' }, 'profile 2 over ws:// needs a Central System root');
  assert.deepEqual(await set('3'), { status: 'Rejected' }, 'profile 3 needs a certificate');
  assert.deepEqual(await set('x'), { status: 'Rejected' });
  assert.deepEqual(await set('1'), { status: 'Accepted' });
  assert.equal((await get()).value, '1');
  await ev.stop();
  await ev.restart();
  assert.equal((await get()).value, '1');
  await csms.settle();
  await ev.stop();
});
