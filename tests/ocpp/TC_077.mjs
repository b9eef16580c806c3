// SPDX-License-Identifier: MIT
//
// OCTT TC_077_CS "Invalid ChargePointCertificate Security Event" (C12). Our
// reading (the charge point side text was not at hand; TC_078 is its twin
// for Central System certificates): after a SignCertificate, the CSMS sends
// CertificateSigned with a certificate that is not valid for the charge
// point; it answers Rejected and sends SecurityEventNotification
// InvalidChargePointCertificate.
// Here: a certificate for another key (not the one of the CSR), then text
// that is not a certificate, then a CertificateSigned without any
// SignCertificate before (after a restart the key asked for is still
// waiting, so the right chain is then Accepted).
import { run, assert, booted } from './lib/evsed.mjs';
import { certCase } from './lib/certcase.mjs';
import { signCsr } from './lib/certs.mjs';

run('TC_077', async (t) => {
  const { csms, ev, dir, makeCert } = await certCase(t);
  await booted(csms, 2);
  await csms.waitFor('SecurityEventNotification', (p) => p.type === 'StartupOfTheDevice');
  await csms.settle();
  const ca = makeCert('cpoca');
  const other = makeCert('notmine', { ca: false });

  // No SignCertificate yet: nothing to accept.
  let m = csms.mark();
  assert.deepEqual(await csms.call('CertificateSigned', { certificateChain: other.pem }), { status: 'Rejected' });
  assert.equal((await csms.waitFor('SecurityEventNotification', () => true, { since: m })).payload.type,
    'InvalidChargePointCertificate');

  m = csms.mark();
  assert.deepEqual(await csms.call('ChangeConfiguration', { key: 'CpoName', value: 'evsed tests' }),
    { status: 'Accepted' });
  assert.deepEqual(await csms.call('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' }),
    { status: 'Accepted' });
  const sign = await csms.waitFor('SignCertificate', () => true, { since: m });
  for (const chain of [other.pem, 'not a certificate']) {
    m = csms.mark();
    assert.deepEqual(await csms.call('CertificateSigned', { certificateChain: chain }), { status: 'Rejected' });
    const e = await csms.waitFor('SecurityEventNotification', () => true, { since: m });
    assert.equal(e.payload.type, 'InvalidChargePointCertificate');
    csms.assertAfterAnswer(e);
  }
  await csms.settle();
  await ev.stop();
  await ev.restart();
  assert.deepEqual(await csms.call('CertificateSigned', { certificateChain: signCsr(dir, 'cp', sign.payload.csr, ca) }),
    { status: 'Accepted' });
  await csms.settle();
  await ev.stop();
});
