// SPDX-License-Identifier: MIT
//
// Security profiles over TLS (C12), the OCTT module 25 cases TC_074 (step 7,
// the reconnection with the new certificate), TC_083 (upgrade the profile)
// and TC_087 (TLS with a client-side certificate) in one scenario, with a
// test CA made with the `openssl` command and an ocpp-rpc CSMS (strict) behind
// a Node https server that asks for client certificates:
// 1. evsed at SecurityProfile 2 (wss://, Basic auth CP1:secret) verifies the
//    server against a Central System root installed with InstallCertificate
//    (no ocpp.ca_file): the first start trusts the CA through ocpp.ca_file,
//    the CSMS installs the CA as CentralSystemRootCertificate, and after a
//    restart without ocpp.ca_file the connection still verifies.
// 2. ExtendedTriggerMessage SignChargePointCertificate -> SignCertificate; the
//    CSMS signs the CSR with the CA; CertificateSigned Accepted.
// 3. ChangeConfiguration SecurityProfile 3 Accepted: evsed reconnects by
//    itself (no Reset, no new BootNotification) with a client certificate the
//    server verifies (CN=CP1, issued by the CA) and without the Basic auth
//    header; the profile is stored once that connection worked.
// 4. At profile 3 a renewed certificate (SignCertificate, CertificateSigned)
//    is used at once: evsed reconnects with it by itself (as TC_074.mjs).
// 5. ChangeConfiguration SecurityProfile 2 is then Rejected (no downgrade);
//    after a restart evsed connects at profile 3 with the renewed
//    certificate.

import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { assert, test, exec, waitFor, evsedArgs, Csms } from './lib.mjs';

const OPENSSL = process.env.OPENSSL || 'openssl';

async function makePki(dir) {
  const f = (n) => path.join(dir, n);
  const ssl = async (...a) => {
    let r;
    try {
      r = await exec(OPENSSL, a);
    } catch (e) {
      assert.fail(`${OPENSSL}: ${e.code === 'ENOENT' ? 'not installed (apt-get install openssl)' : e.message}`);
    }
    assert.equal(r.code, 0, `${OPENSSL} ${a.join(' ')}: ${r.stderr}`);
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await ssl('req', '-x509', ...ec, '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-keyout', f('ca.key'), '-out', f('ca.pem'),
    '-days', '2', '-subj', '/CN=evsed profile 3 test CA');
  await ssl('req', ...ec, '-keyout', f('srv.key'), '-out', f('srv.csr'), '-subj', '/CN=localhost');
  fs.writeFileSync(f('ext.cnf'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  await ssl('x509', '-req', '-in', f('srv.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'),
    '-CAcreateserial', '-out', f('srv.pem'), '-days', '2', '-extfile', f('ext.cnf'));
  const signCsr = async (csrPem) => {
    fs.writeFileSync(f('cp.csr'), csrPem);
    fs.writeFileSync(f('cp.cnf'), 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
    await ssl('x509', '-req', '-in', f('cp.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'),
      '-CAcreateserial', '-out', f('cp.pem'), '-days', '2', '-extfile', f('cp.cnf'));
    return fs.readFileSync(f('cp.pem'), 'utf8');
  };
  return { caFile: f('ca.pem'), ca: fs.readFileSync(f('ca.pem')), cert: fs.readFileSync(f('srv.pem')),
    key: fs.readFileSync(f('srv.key')), signCsr };
}

test('security_profile3', async (t) => {
  const pki = await makePki(t.dir);
  const peers = [];
  const csms = new Csms({
    handlers: {
      SecurityEventNotification: () => ({}),
      SignCertificate: () => ({ status: 'Accepted' }),
    },
    onAuth: (hs) => {
      const s = hs.request.socket;
      const c = s.getPeerCertificate();
      peers.push({ authorized: s.authorized, cn: c && c.subject ? c.subject.CN : undefined,
        serial: c ? c.serialNumber : undefined,
        issuer: c && c.issuer ? c.issuer.CN : undefined, authorization: hs.headers.authorization });
    },
  });
  const server = https.createServer({ cert: pki.cert, key: pki.key, ca: [pki.ca], requestCert: true, rejectUnauthorized: false });
  csms.attach(server);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  t.defer(() => new Promise((r) => server.close(() => r())));
  t.defer(() => csms.close());
  t.note(() => csms.log());
  const url = `wss://localhost:${server.address().port}/ocpp`;
  const dir = path.join(t.dir, 'cp');
  fs.mkdirSync(dir);
  const client = () => csms.clients[csms.clients.length - 1];

  // 1. Profile 2 with ocpp.ca_file; the CA becomes a Central System root.
  let d = await t.start(evsedArgs({ url, extra: ['--set', `ocpp.ca_file=${pki.caFile}`,
    '--set', 'ocpp.password=secret'] }), { dir });
  await d.ok('config', 'set', 'SecurityProfile', '2');
  await waitFor(() => csms.of('BootNotification').length === 1, 15000, 'BootNotification over wss');
  assert.deepEqual(await client().call('InstallCertificate',
    { certificateType: 'CentralSystemRootCertificate', certificate: fs.readFileSync(pki.caFile, 'utf8') }),
  { status: 'Accepted' });
  await d.stop();
  d = await t.start(evsedArgs({ url, extra: ['--set', 'ocpp.password=secret'] }), { dir });
  await waitFor(() => csms.of('BootNotification').length === 2, 15000, 'BootNotification, the installed root verifying the CSMS');
  assert.equal(peers[peers.length - 1].authorization, `Basic ${Buffer.from('CP1:secret').toString('base64')}`);
  assert.equal(peers[peers.length - 1].authorized, false, 'no client certificate at profile 2');

  // 2. A key, its CSR, the signed certificate.
  const n = csms.of('SignCertificate').length;
  assert.deepEqual(await client().call('ChangeConfiguration', { key: 'CpoName', value: 'evsed tests' }),
    { status: 'Accepted' });
  assert.deepEqual(await client().call('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' }),
    { status: 'Accepted' });
  await waitFor(() => csms.of('SignCertificate').length === n + 1, 10000, 'SignCertificate');
  const chain = await pki.signCsr(csms.of('SignCertificate')[n].params.csr);
  assert.deepEqual(await client().call('CertificateSigned', { certificateChain: chain }), { status: 'Accepted' });

  // 3. Profile 3: a reconnection by itself with the client certificate.
  let seen = peers.length;
  assert.deepEqual(await client().call('ChangeConfiguration', { key: 'SecurityProfile', value: '3' }),
    { status: 'Accepted' });
  await waitFor(() => peers.length > seen && client() && client().state === 1, 15000,
    'the reconnection at profile 3');
  const p3 = peers[peers.length - 1];
  assert.equal(p3.authorized, true, 'the client certificate verifies against the CA');
  assert.equal(p3.cn, 'CP1');
  assert.equal(p3.issuer, 'evsed profile 3 test CA');
  assert.equal(p3.authorization, undefined, 'no Basic auth at profile 3');
  assert.equal(csms.of('BootNotification').length, 2, 'no reboot for it');

  // 4. A renewed certificate at profile 3: used at once.
  const serial = p3.serial;
  const m = csms.of('SignCertificate').length;
  assert.deepEqual(await client().call('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' }),
    { status: 'Accepted' });
  await waitFor(() => csms.of('SignCertificate').length === m + 1, 10000, 'SignCertificate at profile 3');
  const chain2 = await pki.signCsr(csms.of('SignCertificate')[m].params.csr);
  seen = peers.length;
  assert.deepEqual(await client().call('CertificateSigned', { certificateChain: chain2 }), { status: 'Accepted' });
  await waitFor(() => peers.length > seen && client() && client().state === 1, 15000,
    'the reconnection with the renewed certificate');
  const p4 = peers[peers.length - 1];
  assert.equal(p4.authorized, true);
  assert.notEqual(p4.serial, serial, 'the renewed certificate');

  // 5. No way back; the profile and the renewed certificate survive a restart.
  assert.deepEqual(await client().call('ChangeConfiguration', { key: 'SecurityProfile', value: '2' }),
    { status: 'Rejected' });
  await d.stop();
  seen = peers.length;
  d = await t.start(evsedArgs({ url, extra: ['--set', 'ocpp.password=secret'] }), { dir });
  await waitFor(() => csms.of('BootNotification').length === 3, 20000, 'BootNotification at profile 3');
  assert.equal(peers[peers.length - 1].authorized, true);
  assert.equal(peers[peers.length - 1].serial, p4.serial);
  assert.equal(peers[peers.length - 1].authorization, undefined);
  assert.deepEqual(csms.failures, []);
  await d.stop();
});
