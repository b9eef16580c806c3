// SPDX-License-Identifier: MIT
//
// OCTT TC_042_1_CS "Get Local List Version (not supported)" (C6).
// LocalAuthListEnabled false: GetLocalListVersion answers listVersion -1
// (not a CALLERROR: the profile is supported, the list is switched off),
// also when a list was sent before; switched on again, its version is back.
import { run, assert, booted } from './lib/evsed.mjs';
import { configure, entries, localListVersion, sendLocalList } from './lib/locallist.mjs';

run('TC_042_1', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  assert.equal(await sendLocalList(csms, 'Full', 3, entries(2)), 'Accepted');
  assert.deepEqual(await configure(csms, [['LocalAuthListEnabled', 'false']]), ['Accepted']);
  assert.deepEqual(await csms.call('GetLocalListVersion', {}), { listVersion: -1 });
  assert.deepEqual(await configure(csms, [['LocalAuthListEnabled', 'true']]), ['Accepted']);
  assert.equal(await localListVersion(csms), 3);
  await ev.stop();
});
