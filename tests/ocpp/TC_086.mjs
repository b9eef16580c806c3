// SPDX-License-Identifier: MIT
//
// OCTT TC_086_CS "TLS - server-side certificate - Valid certificate" (C12),
// as the OCTT test case document (2025-06 draft) describes it: at security
// profile 2 the charge point sets up TLS 1.2 or above with the Central
// System, whose certificate (for localhost, signed by the CSMS's root CA)
// it verifies, and sends Basic auth (<ChargePointId>:<AuthorizationKey>) in
// the upgrade request.
// On top, an untrusted server certificate (signed by a CA the charge point
// does not know), then an expired one: no connection at all (the attempts end in the TLS
// handshake, the CSMS never sees an upgrade), the security event
// InvalidCentralSystemCertificate is queued and sent, once, over the next
// good connection when the server has its valid certificate back.
import fs from 'node:fs';
import path from 'node:path';
import { run, assert, booted } from './lib/evsed.mjs';
import { serverPki } from './lib/certs.mjs';

const PASSWORD = 'Basic-pass-0123456';

run('TC_086', async (t) => {
  const csms = await t.csms({ password: PASSWORD });
  const pki = serverPki(path.join(t.dir, 'pki'));
  await csms.secure(pki);
  const conf = path.join(t.dir, 'evsed.conf');
  fs.writeFileSync(conf, `SecurityProfile = 2\n[ocpp]\npassword = ${PASSWORD}\n`);
  const ev = await t.evsed(csms, { args: ['-c', conf, '--set', `ocpp.url=wss://localhost:${csms.port}/ocpp`,
    '--set', `ocpp.ca_file=${pki.ca.file}`] });
  await booted(csms, 2);
  assert.ok(['TLSv1.2', 'TLSv1.3'].includes(csms.tlsVersions[0]), `TLS version ${csms.tlsVersions[0]}`);
  assert.equal(csms.passwords[0], PASSWORD, 'Basic auth over TLS');
  assert.equal((await ev.status()).ocpp.url, `wss://localhost:${csms.port}/ocpp`);

  // An untrusted server certificate, then an expired one (signed by the
  // right root): nothing gets through either.
  for (const bad of [pki.untrusted, pki.expired]) {
    const m = csms.mark();
    const n = csms.connections;
    const refused = csms.tlsErrors || 0;
    const upgrades = csms.passwords.length;
    await csms.secure(bad);
    await ev.waitLink(false);
    // Attempts go on (a TLS handshake each, refused by evsed) and never
    // reach the upgrade.
    await csms.until(() => (csms.tlsErrors || 0) >= refused + 2, 'two refused handshakes', 15000);
    assert.equal(csms.passwords.length, upgrades, 'no upgrade request (nor password) sent to it');
    assert.equal(csms.connections, n);

    await csms.secure(pki);
    await csms.waitConnected(n + 1, 15000);
    const e = await csms.waitFor('SecurityEventNotification',
      (p) => p.type === 'InvalidCentralSystemCertificate', { since: m });
    assert.match(e.payload.techInfo, /TLS: server certificate not trusted/);
    await csms.settle();
    assert.equal(csms.since(m, 'SecurityEventNotification')
      .filter((f) => f.payload.type === 'InvalidCentralSystemCertificate').length, 1);
  }
  await ev.stop();
});
