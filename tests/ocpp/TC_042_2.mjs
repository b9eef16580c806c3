// SPDX-License-Identifier: MIT
//
// OCTT TC_042_2_CS "Get Local List Version (empty)" (C6).
// LocalAuthListEnabled true. A fresh charge point has no list: version 0.
// SendLocalList Full, listVersion 1, localAuthorizationList omitted:
// Accepted; the list is empty, so GetLocalListVersion answers 0.
import { run, assert, booted } from './lib/evsed.mjs';
import { localListVersion, sendLocalList } from './lib/locallist.mjs';

run('TC_042_2', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  assert.equal(await ev.config('LocalAuthListEnabled'), 'true');
  assert.equal(await localListVersion(csms), 0);
  assert.equal(await sendLocalList(csms, 'Full', 1), 'Accepted');
  assert.deepEqual(await csms.call('GetLocalListVersion', {}), { listVersion: 0 });
  await ev.stop();
});
