// SPDX-License-Identifier: MIT
//
// The common start of the security-profile scenarios (TC_083,
// robust/test_security_fallback): a CSMS that asks for Basic auth, a server
// PKI for when it turns to TLS, and an evsed at security profile 1 over
// ws://localhost:P on a simulated clock an hour ahead of now (so that the
// certificates made now are valid on it), booted.
import fs from 'node:fs';
import path from 'node:path';
import { booted } from './evsed.mjs';
import { serverPki } from './certs.mjs';

export const PASSWORD = 'Basic-password-0123';

export async function atProfile1(t) {
  const start = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const csms = await t.csms({ clockStart: start, password: PASSWORD });
  const pki = serverPki(path.join(t.dir, 'pki'));
  const conf = path.join(t.dir, 'evsed.conf');
  fs.writeFileSync(conf, `SecurityProfile = 1\n[ocpp]\npassword = ${PASSWORD}\n`);
  const url = `ws://localhost:${csms.port}/ocpp`;
  const ev = await t.evsed(csms, { args: ['-c', conf, '--set', `clock.sim_start=${start}`, '--set', `ocpp.url=${url}`] });
  await booted(csms, 2);
  const profile = async () => (await csms.call('GetConfiguration', { key: ['SecurityProfile'] })).configurationKey[0].value;
  return { csms, pki, ev, url, profile };
}
