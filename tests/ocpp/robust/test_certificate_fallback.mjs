// SPDX-License-Identifier: MIT
//
// A renewed charge point certificate the Central System does not take (C12):
// at security profile 3 (reached as in TC_074: profile 2 over TLS, a first
// certificate, SecurityProfile 3), the CSMS now refuses TLS clients without a
// certificate of its CA. CertificateSigned with a certificate of another CA
// is Accepted (the charge point does not know the CSMS's client CA), tried
// at once; the CSMS refuses every handshake with it, so after 3 attempts the
// charge point drops it, reconnects with the certificate before (same
// serial) and reports ReconfigurationOfSecurityParameters ("new charge point
// certificate failed (...): the previous one kept"). Nothing of the new one
// is left; after a restart the old certificate is still the one used.
import fs from 'node:fs';
import path from 'node:path';
import { run, assert, booted } from '../lib/evsed.mjs';
import { makeCert, serverPki, signCsr } from '../lib/certs.mjs';

const PASSWORD = 'Basic-pass-0123456';

run('certificate_fallback', async (t) => {
  const start = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const csms = await t.csms({ clockStart: start });
  const dir = path.join(t.dir, 'pki');
  const pki = serverPki(dir);
  const ca = makeCert(dir, 'cpoca');
  const rogue = makeCert(dir, 'rogueca', { serial: '0x999' });
  await csms.secure(pki, true, { clientCa: ca.pem });
  const conf = path.join(t.dir, 'evsed.conf');
  fs.writeFileSync(conf, `SecurityProfile = 2\nCpoName = Example CPO\n[ocpp]\npassword = ${PASSWORD}\n`);
  const ev = await t.evsed(csms, { args: ['-c', conf, '--set', `clock.sim_start=${start}`,
    '--set', `ocpp.url=wss://localhost:${csms.port}/ocpp`, '--set', `ocpp.ca_file=${pki.ca.file}`] });
  await booted(csms, 2);
  const renew = async (issuer, serial) => {
    const m = csms.mark();
    assert.deepEqual(await csms.call('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' }),
      { status: 'Accepted' });
    const sign = await csms.waitFor('SignCertificate', () => true, { since: m });
    const chain = signCsr(dir, `cp${serial}`, sign.payload.csr, issuer, { serial });
    assert.deepEqual(await csms.call('CertificateSigned', { certificateChain: chain }), { status: 'Accepted' });
  };
  await renew(ca, '0x1001');
  let n = csms.connections;
  assert.deepEqual(await csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: '3' }),
    { status: 'Accepted' });
  await csms.waitConnected(n + 1, 15000);
  await csms.settle();

  // The CSMS now insists on its client CA.
  n = csms.connections;
  await csms.secure(pki, true, { clientCa: ca.pem, strict: true });
  await csms.waitConnected(n + 1, 15000);
  assert.equal(csms.peers[csms.peers.length - 1].serial, '1001');
  await csms.settle();

  const m = csms.mark();
  n = csms.connections;
  const refused = csms.tlsErrors || 0;
  await renew(rogue, '0x2002');
  await csms.waitConnected(n + 1, 20000);
  assert.ok((csms.tlsErrors || 0) >= refused + 3, `${(csms.tlsErrors || 0) - refused} refused handshakes`);
  const peer = csms.peers[csms.peers.length - 1];
  assert.deepEqual([peer.authorized, peer.serial], [true, '1001'], 'back with the certificate before');
  const e = await csms.waitFor('SecurityEventNotification',
    (p) => p.type === 'ReconfigurationOfSecurityParameters', { since: m });
  assert.match(e.payload.techInfo, /^new charge point certificate failed \(.+\): the previous one kept$/);
  assert.equal(csms.since(m, 'BootNotification').length, 0);
  const certs = path.join(t.dir, 'var', 'certs');
  assert.ok(!fs.existsSync(path.join(certs, 'cp.pem.trial')) && !fs.existsSync(path.join(certs, 'cp.key.trial')),
    'nothing of the dropped certificate left');
  await csms.settle();

  await ev.stop();
  n = csms.connections;
  await ev.restart();
  assert.equal(csms.peers[csms.peers.length - 1].serial, '1001');
  await csms.settle();
  await ev.stop();
});
