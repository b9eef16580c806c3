// SPDX-License-Identifier: MIT
//
// Bad SendLocalList input (issue 4, C6): more entries than
// SendLocalListMaxLength (CALLERROR OccurenceConstraintViolation, as
// GetConfiguration past GetConfigurationMaxKeys), an id tag twice in one
// update, also in another case (CALLERROR PropertyConstraintViolation), a
// Differential version not above the list's (VersionMismatch), an update
// the list cannot hold (LocalAuthListMaxLength: Failed). After each the list
// is exactly as before, in memory and in the store (after a restart): same
// version, the old entries authorize, none of the refused ones does.
import { run, assert, booted, none } from '../lib/evsed.mjs';
import { configure, entries, localListVersion, sendLocalList } from '../lib/locallist.mjs';

run('local_list_bad_input', async (t) => {
  const csms = await t.csms();
  csms.on('Authorize', () => ({ idTagInfo: { status: 'Invalid' } }));
  const ev = await t.evsed(csms, { profile: 'evplus', args: ['--set', 'SendLocalListMaxLength=5',
    '--set', 'LocalAuthListMaxLength=8'] });
  await booted(csms, 1);
  assert.deepEqual(await configure(csms, [['LocalPreAuthorize', 'true']]), ['Accepted']);
  assert.equal(await sendLocalList(csms, 'Full', 3, entries(4, { prefix: 'OK' })), 'Accepted');

  const callError = async (what, type, version, list, code) => {
    await assert.rejects(sendLocalList(csms, type, version, list),
      (e) => (e.rpcErrorCode === code ? true : assert.fail(`${what}: ${e.rpcErrorCode} ${e.message}`)), what);
  };
  await callError('6 entries, SendLocalListMaxLength 5', 'Full', 4, entries(6, { prefix: 'BAD' }),
    'OccurenceConstraintViolation');
  await callError('6 entries, differential', 'Differential', 4, entries(6, { prefix: 'BAD' }),
    'OccurenceConstraintViolation');
  await callError('an id tag twice', 'Full', 4,
    [...entries(2, { prefix: 'BAD' }), { idTag: 'bad000001', idTagInfo: { status: 'Blocked' } }],
    'PropertyConstraintViolation');
  await callError('an id tag twice, differential', 'Differential', 4,
    [{ idTag: 'BAD000009' }, ...entries(1, { prefix: 'BAD', from: 9 })], 'PropertyConstraintViolation');
  for (const v of [3, 2, 0])
    assert.equal(await sendLocalList(csms, 'Differential', v, entries(1, { prefix: 'BAD' })), 'VersionMismatch',
      `differential version ${v}`);
  assert.equal(await sendLocalList(csms, 'Differential', 4, entries(5, { prefix: 'BAD' })), 'Failed',
    '9 entries, LocalAuthListMaxLength 8');

  const unchanged = async () => {
    assert.equal(await localListVersion(csms), 3);
    let m = csms.mark();
    await ev.swipe('OK000003');
    await csms.waitFor('StatusNotification', (p) => p.status === 'Preparing', { since: m });
    await ev.advance(120); // ConnectionTimeOut
    await csms.waitFor('StatusNotification', (p) => p.status === 'Available', { since: m });
    await csms.settle();
    none(csms, 'Authorize', m, () => true, 'OK000003 is in the list');
    m = csms.mark();
    await ev.swipe('BAD000001');
    await csms.waitFor('Authorize', (p) => p.idTag === 'BAD000001', { since: m });
    await csms.settle();
  };
  await unchanged();
  await ev.stop();
  const m = csms.mark();
  await ev.restart();
  await booted(csms, 1, m);
  await ev.advance(300); // a new time for the same messages after the restart
  await csms.settle();
  await unchanged();
  await ev.stop();
});
