// SPDX-License-Identifier: MIT
//
// OCTT TC_074_CS "Update Charge Point Certificate by request of Central
// System" (C12), as the OCTT test case document (2025-06 draft) describes
// it: ExtendedTriggerMessage SignChargePointCertificate is Accepted; the
// charge point makes a new key pair and sends SignCertificate with a CSR;
// the CSMS (also the CA) signs it and sends CertificateSigned, Accepted.
// Here at security profile 0 the connection does not use the certificate: it
// is kept at once, no reconnection. Step 7, the reconnection by itself with
// the new certificate at security profile 3 (tried first, kept once that
// connection works), is in robust/test_security_profile3.mjs, which has the
// TLS CSMS asking for client certificates it needs.
// The OCTT's configuration state "CpoName is <the configured vendor name>"
// is set by the CSMS first (ChangeConfiguration CpoName); before that the
// trigger is Rejected (no request naming another organization).
// On top: the CSR verifies (openssl req -verify) and names the charge point
// and its CPO (CN=CP1, O=the CpoName); the private key stays in the data directory (0600)
// and appears in no frame and no log line; a second CertificateSigned with
// the same chain is Rejected (the key it was asked for is used up).
import fs from 'node:fs';
import path from 'node:path';
import { run, assert, booted } from './lib/evsed.mjs';
import { certCase } from './lib/certcase.mjs';
import { csrInfo, signCsr } from './lib/certs.mjs';

run('TC_074', async (t) => {
  const { csms, ev, dir, makeCert } = await certCase(t);
  await booted(csms, 2);
  const ca = makeCert('cpoca');
  assert.deepEqual(await csms.call('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' }),
    { status: 'Rejected' }, 'no CpoName yet');
  assert.deepEqual(await csms.call('ChangeConfiguration', { key: 'CpoName', value: 'Example CPO' }),
    { status: 'Accepted' });
  assert.deepEqual((await csms.call('GetConfiguration', { key: ['CpoName'] })).configurationKey,
    [{ key: 'CpoName', readonly: false, value: 'Example CPO' }]);
  const m = csms.mark();
  assert.equal(csms.since(0, 'SignCertificate').length, 0);
  assert.deepEqual(await csms.call('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' }),
    { status: 'Accepted' });
  const sign = await csms.waitFor('SignCertificate', () => true, { since: m });
  csms.assertAfterAnswer(sign);
  const info = csrInfo(dir, sign.payload.csr);
  assert.match(info, /CN\s*=\s*CP1/);
  assert.match(info, /O\s*=\s*Example CPO/);

  const chain = signCsr(dir, 'cp', sign.payload.csr, ca);
  assert.deepEqual(await csms.call('CertificateSigned', { certificateChain: chain }), { status: 'Accepted' });
  assert.deepEqual(await csms.call('CertificateSigned', { certificateChain: chain }), { status: 'Rejected' });

  const certs = path.join(t.dir, 'var', 'certs');
  assert.equal(fs.statSync(path.join(certs, 'cp.key')).mode & 0o777, 0o600);
  assert.equal(fs.statSync(path.join(certs, 'cp.pem')).mode & 0o777, 0o600);
  const key = fs.readFileSync(path.join(certs, 'cp.key'), 'utf8');
  assert.match(key, /PRIVATE KEY/);
  const body = key.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
  // Past the ASN.1 prefix every P-256 key shares: the private scalar.
  const secret = body.slice(50, 90);
  assert.equal(secret.length, 40);
  for (const e of csms.log) assert.ok(!JSON.stringify(e.payload ?? '').includes(secret), 'the key in a frame');
  await csms.settle();
  await ev.stop();
  const log = fs.readFileSync(path.join(t.dir, 'var', 'evsed.log'), 'utf8') + ev.d.stderr;
  assert.ok(!log.includes(secret), 'the private key in the log');
});
