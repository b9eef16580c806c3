// SPDX-License-Identifier: MIT
//
// OCTT TC_085_CS "Basic Authentication - Valid username/password
// combination" (C12), as the OCTT test case document (2025-06 draft)
// describes it: at security profile 1 the HTTP upgrade request carries
// "Authorization: Basic <base64(<ChargePointId>:<password>)>", the id being
// the one at the end of the URL, the password the configured one (16-20
// characters: plain text). The CSMS here accepts only that password.
// On top, a wrong password: the CSMS changes what it expects and drops the
// link; every attempt is answered HTTP 401; evsed keeps trying with its
// back-off (not in a tight loop), never logs the password, and once the CSMS
// takes it again reports one FailedToAuthenticateAtCentralSystem (the
// whitepaper's event for it) over the connection, whatever the number of
// refused attempts. The installer (evsectl) cannot empty the password or
// set a profile the certificates cannot give: refused, naming the reason.
import fs from 'node:fs';
import path from 'node:path';
import { run, assert, booted } from './lib/evsed.mjs';

const PASSWORD = 'Basic-pass-0123456';

run('TC_085', async (t) => {
  const csms = await t.csms({ password: PASSWORD });
  const conf = path.join(t.dir, 'evsed.conf');
  fs.writeFileSync(conf, `SecurityProfile = 1\n[ocpp]\npassword = ${PASSWORD}\n`);
  const ev = await t.evsed(csms, { args: ['-c', conf] });
  await booted(csms, 2);
  // The header the CSMS decoded: CP1 (the id of the URL) and the password.
  assert.equal(csms.passwords.length, 1);
  assert.equal(csms.passwords[0], PASSWORD);
  assert.ok(PASSWORD.length >= 16 && PASSWORD.length <= 20);
  // The installer cannot take away what the profile needs (nothing changes).
  await ev.fails(1, /SecurityProfile: 1 needs ocpp\.password/, 'config', 'set', 'ocpp.password', '');
  await ev.fails(1, /SecurityProfile: 3 needs a charge point certificate/, 'config', 'set', 'SecurityProfile', '3');
  assert.equal(await ev.config('SecurityProfile'), '1');
  assert.equal(csms.connections, 1, 'no reconnection for a refused change');

  // A password the CSMS no longer takes: 401, retried with the back-off.
  const m = csms.mark();
  const n = csms.connections;
  csms.password = 'Another-pass-98765';
  const t0 = Date.now();
  await csms.drop();
  await csms.until(() => (csms.refused401 || 0) >= 3, 'three refused attempts', 15000);
  const elapsed = Date.now() - t0;
  // With ocpp.reconnect_max = 1 s: waits of 0.5-1 s between attempts.
  assert.ok(elapsed >= 900, `three attempts in ${elapsed} ms: no back-off`);
  assert.equal(csms.connections, n, 'no connection with a refused password');
  const st = await ev.status();
  assert.equal(st.ocpp.connected, false);

  csms.password = PASSWORD;
  await csms.waitConnected(n + 1, 15000);
  const e = await csms.waitFor('SecurityEventNotification',
    (p) => p.type === 'FailedToAuthenticateAtCentralSystem', { since: m });
  assert.match(e.payload.techInfo, /401/);
  await csms.settle();
  assert.equal(csms.since(m, 'SecurityEventNotification')
    .filter((f) => f.payload.type === 'FailedToAuthenticateAtCentralSystem').length, 1,
  'one event for the refused attempts in a row');
  assert.equal(csms.since(m, 'BootNotification').length, 0);
  await ev.stop();
  const log = fs.readFileSync(path.join(t.dir, 'var', 'evsed.log'), 'utf8') + ev.d.stderr;
  assert.ok(!log.includes(PASSWORD), 'the password is never logged');
  assert.ok(!log.includes(Buffer.from(`CP1:${PASSWORD}`).toString('base64')), 'nor its Basic header');
});
