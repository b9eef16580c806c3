// SPDX-License-Identifier: MIT
//
// OCTT TC_043_2_CS "Send Local Authorization List - VersionMismatch" (C6).
// Full listVersion 2: Accepted, version 2; Differential listVersion 5:
// Accepted, version 5; a Differential whose listVersion is not above the
// list's (5 again, then 3): VersionMismatch, the version stays 5 and the
// entries it carried are not taken. A Full update may set any version.
import { run, assert, booted } from './lib/evsed.mjs';
import { entries, localListVersion, sendLocalList } from './lib/locallist.mjs';

run('TC_043_2', async (t) => {
  const csms = await t.csms();
  csms.on('Authorize', () => ({ idTagInfo: { status: 'Invalid' } }));
  const ev = await t.evsed(csms, { profile: 'evplus', args: ['--set', 'LocalPreAuthorize=true'] });
  await booted(csms, 1);
  assert.equal(await sendLocalList(csms, 'Full', 2, entries(3)), 'Accepted');
  assert.equal(await localListVersion(csms), 2);
  assert.equal(await sendLocalList(csms, 'Differential', 5, entries(1, { prefix: 'D' })), 'Accepted');
  assert.equal(await localListVersion(csms), 5);
  for (const v of [5, 3])
    assert.equal(await sendLocalList(csms, 'Differential', v, entries(1, { prefix: 'X' })), 'VersionMismatch');
  assert.equal(await localListVersion(csms), 5);
  // X000000 was not taken: the CSMS is asked about it.
  const m = csms.mark();
  await ev.swipe('X000000');
  await csms.waitFor('Authorize', (p) => p.idTag === 'X000000', { since: m });
  await csms.settle();
  assert.equal((await ev.status()).pending_authorization, null, 'refused by the CSMS');
  assert.equal(await sendLocalList(csms, 'Full', 1, entries(1)), 'Accepted');
  assert.equal(await localListVersion(csms), 1);
  await ev.stop();
});
