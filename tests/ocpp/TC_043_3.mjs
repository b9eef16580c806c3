// SPDX-License-Identifier: MIT
//
// OCTT TC_043_3_CS "Send Local Authorization List - Failed" (C6).
// The charge point cannot take the list: here it would outgrow
// LocalAuthListMaxLength (the integrator set 2 for this board). SendLocalList
// Full, listVersion 2: Failed; nothing of it is stored (version 0, the old
// entries still there), also after a restart.
import { run, assert, booted } from './lib/evsed.mjs';
import { entries, localListVersion, sendLocalList } from './lib/locallist.mjs';

run('TC_043_3', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms, { profile: 'evplus', args: ['--set', 'LocalAuthListMaxLength=2'] });
  await booted(csms, 1);
  const max = await csms.call('GetConfiguration', { key: ['LocalAuthListMaxLength'] });
  assert.deepEqual(max.configurationKey, [{ key: 'LocalAuthListMaxLength', readonly: true, value: '2' }]);
  assert.equal(await sendLocalList(csms, 'Full', 1, entries(2)), 'Accepted');
  assert.equal(await sendLocalList(csms, 'Full', 2, entries(3, { prefix: 'N' })), 'Failed');
  assert.equal(await localListVersion(csms), 1);
  assert.equal(await sendLocalList(csms, 'Differential', 2, entries(1, { prefix: 'N' })), 'Failed');
  assert.equal(await localListVersion(csms), 1);
  await ev.stop();
  const m = csms.mark();
  await ev.restart();
  await booted(csms, 1, m);
  assert.equal(await localListVersion(csms), 1);
  await ev.stop();
});
