// SPDX-License-Identifier: MIT
//
// OCTT TC_074_CS "Update Charge Point Certificate by request of Central
// System" (C12), as the OCTT test case document (2025-06 draft) describes
// it, at security profile 3: ExtendedTriggerMessage SignChargePointCertificate
// is Accepted; the charge point makes a new key pair and sends
// SignCertificate with a CSR; the CSMS (also the CA) signs it and sends
// CertificateSigned, Accepted; step 7: the charge point disconnects and
// reconnects by itself with the new certificate (no restart).
// The OCTT's configuration state "CpoName is <the configured vendor name>"
// is set by the CSMS first (ChangeConfiguration CpoName); before that the
// trigger is Rejected (no request naming another organization).
// Getting to profile 3 (the prerequisite): profile 2 over TLS (the CSMS's
// root in ocpp.ca_file, Basic auth), a first certificate the same way (kept
// at once: profile 2 does not use it), then SecurityProfile 3, which
// reconnects with it.
// On top: the CSR verifies (openssl req -verify) and names the charge point
// and its CPO (CN=CP1, O=the CpoName); the private key stays in the data
// directory (0600) and appears in no frame and no log line; a second
// CertificateSigned with the same chain is Rejected (the key it was asked for
// is used up).
import fs from 'node:fs';
import path from 'node:path';
import { run, assert, booted } from './lib/evsed.mjs';
import { csrInfo, makeCert, serverPki, signCsr } from './lib/certs.mjs';

const PASSWORD = 'Basic-pass-0123456';

run('TC_074', async (t) => {
  // The simulated clock an hour ahead of now: certificates made now are valid on it.
  const start = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const csms = await t.csms({ clockStart: start });
  const dir = path.join(t.dir, 'pki');
  const pki = serverPki(dir);
  const ca = makeCert(dir, 'cpoca'); // the CA of charge point certificates
  await csms.secure(pki, true, { clientCa: ca.pem });
  const conf = path.join(t.dir, 'evsed.conf');
  fs.writeFileSync(conf, `SecurityProfile = 2\n[ocpp]\npassword = ${PASSWORD}\n`);
  const ev = await t.evsed(csms, { args: ['-c', conf, '--set', `clock.sim_start=${start}`,
    '--set', `ocpp.url=wss://localhost:${csms.port}/ocpp`, '--set', `ocpp.ca_file=${pki.ca.file}`] });
  await booted(csms, 2);
  assert.equal(csms.peers[0].authorized, false, 'no client certificate at profile 2');

  assert.deepEqual(await csms.call('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' }),
    { status: 'Rejected' }, 'no CpoName yet');
  assert.deepEqual(await csms.call('ChangeConfiguration', { key: 'CpoName', value: 'Example CPO' }),
    { status: 'Accepted' });
  assert.deepEqual((await csms.call('GetConfiguration', { key: ['CpoName'] })).configurationKey,
    [{ key: 'CpoName', readonly: false, value: 'Example CPO' }]);
  assert.equal(csms.since(0, 'SignCertificate').length, 0);

  // A key, its CSR, its certificate: the steps 1-6, run twice.
  const renew = async (serial) => {
    const m = csms.mark();
    assert.deepEqual(await csms.call('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' }),
      { status: 'Accepted' });
    const sign = await csms.waitFor('SignCertificate', () => true, { since: m });
    csms.assertAfterAnswer(sign);
    const info = csrInfo(dir, sign.payload.csr);
    assert.match(info, /CN\s*=\s*CP1/);
    assert.match(info, /O\s*=\s*Example CPO/);
    const chain = signCsr(dir, `cp${serial}`, sign.payload.csr, ca, { serial });
    assert.deepEqual(await csms.call('CertificateSigned', { certificateChain: chain }), { status: 'Accepted' });
    assert.deepEqual(await csms.call('CertificateSigned', { certificateChain: chain }), { status: 'Rejected' });
  };

  // The prerequisite: a certificate, then profile 3 (a reconnection with it).
  await renew('0x1001');
  let n = csms.connections;
  assert.deepEqual(await csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: '3' }),
    { status: 'Accepted' });
  await csms.waitConnected(n + 1, 15000);
  let peer = csms.peers[csms.peers.length - 1];
  assert.deepEqual([peer.authorized, peer.cn, peer.serial], [true, 'CP1', '1001']);
  assert.equal(csms.passwords[csms.passwords.length - 1], undefined, 'no Basic auth at profile 3');
  await csms.settle();

  // TC_074 proper: the renewed certificate, and step 7.
  const m = csms.mark();
  n = csms.connections;
  await renew('0x1002');
  await csms.waitConnected(n + 1, 15000);
  peer = csms.peers[csms.peers.length - 1];
  assert.deepEqual([peer.authorized, peer.cn, peer.serial], [true, 'CP1', '1002'], 'reconnected with the new certificate');
  assert.equal(csms.since(m, 'BootNotification').length, 0, 'by itself, no restart');
  await csms.settle();

  const certs = path.join(t.dir, 'var', 'certs');
  assert.equal(fs.statSync(path.join(certs, 'cp.key')).mode & 0o777, 0o600);
  assert.equal(fs.statSync(path.join(certs, 'cp.pem')).mode & 0o777, 0o600);
  assert.ok(!fs.existsSync(path.join(certs, 'cp.pem.trial')), 'the certificate on trial was kept');
  const key = fs.readFileSync(path.join(certs, 'cp.key'), 'utf8');
  assert.match(key, /PRIVATE KEY/);
  const body = key.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
  // Past the ASN.1 prefix every P-256 key shares: the private scalar.
  const secret = body.slice(50, 90);
  assert.equal(secret.length, 40);
  for (const e of csms.log) assert.ok(!JSON.stringify(e.payload ?? '').includes(secret), 'the key in a frame');
  await ev.stop();
  const log = fs.readFileSync(path.join(t.dir, 'var', 'evsed.log'), 'utf8') + ev.d.stderr;
  assert.ok(!log.includes(secret), 'the private key in the log');
});
