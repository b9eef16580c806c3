// SPDX-License-Identifier: MIT
//
// OCTT TC_073_CS "Update Charge Point Password for HTTP Basic
// Authentication" (C12). Our reading (the OCTT text was not at hand): at
// security profile 1, ChangeConfiguration AuthorizationKey with a new
// password is Accepted; the charge point disconnects and connects again with
// the new password (HTTP Basic auth) by itself (no restart, no new
// BootNotification), and reports
// SecurityEventNotification ReconfigurationOfSecurityParameters.
// On top: GetConfiguration lists AuthorizationKey without its value
// (write-only); a key shorter than 16 or longer than 40 characters is
// Rejected and changes nothing; the new password holds after a restart.
import fs from 'node:fs';
import path from 'node:path';
import { run, assert, booted } from './lib/evsed.mjs';

const OLD = 'Old-password-0123';
const NEW = '0123456789abcdefABCDEF';

run('TC_073', async (t) => {
  const csms = await t.csms();
  // The installer's settings file (a --set value would be fixed for the CSMS).
  const conf = path.join(t.dir, 'evsed.conf');
  fs.writeFileSync(conf, `SecurityProfile = 1\n[ocpp]\npassword = ${OLD}\n`);
  const ev = await t.evsed(csms, { args: ['-c', conf] });
  await booted(csms, 2);
  assert.equal(csms.passwords[csms.passwords.length - 1], OLD);
  let n;

  const key = async () => (await csms.call('GetConfiguration', { key: ['AuthorizationKey'] })).configurationKey[0];
  assert.deepEqual(await key(), { key: 'AuthorizationKey', readonly: false });
  for (const bad of ['short-0123456', 'x'.repeat(41)])
    assert.deepEqual(await csms.call('ChangeConfiguration', { key: 'AuthorizationKey', value: bad }),
      { status: 'Rejected' });

  const m = csms.mark();
  n = csms.connections;
  assert.deepEqual(await csms.call('ChangeConfiguration', { key: 'AuthorizationKey', value: NEW }),
    { status: 'Accepted' });
  await csms.waitConnected(n + 1);
  assert.equal(csms.passwords[csms.passwords.length - 1], NEW, 'reconnected with the new password');
  const e = await csms.waitFor('SecurityEventNotification', (p) => p.type === 'ReconfigurationOfSecurityParameters', { since: m });
  assert.equal(e.payload.techInfo, 'AuthorizationKey');
  assert.equal(csms.since(m, 'BootNotification').length, 0, 'a reconnection by itself, not a restart');
  await csms.settle();
  assert.ok(!ev.d.stderr.includes(NEW), 'the password is never logged');

  await ev.stop();
  n = csms.connections;
  await ev.restart();
  assert.equal(csms.passwords[csms.passwords.length - 1], NEW);
  await csms.settle();
  await ev.stop();
});
