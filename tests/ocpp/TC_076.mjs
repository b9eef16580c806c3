// SPDX-License-Identifier: MIT
//
// OCTT TC_076_CS "Delete a specific certificate from the Charge Point" (C12),
// as the OCTT test case document (2025-06 draft) describes it: with a
// certificate installed, GetInstalledCertificateIds; DeleteCertificate with
// its certificateHashData (the hashAlgorithm of step 2) is Accepted; a
// second GetInstalledCertificateIds no longer includes it.
// On top: two roots installed, only the named one goes; the same
// DeleteCertificate again is NotFound; hash data computed with SHA-384
// names a certificate too.
import { run, assert, booted } from './lib/evsed.mjs';
import { certCase } from './lib/certcase.mjs';
import { hashData } from './lib/certs.mjs';

run('TC_076', async (t) => {
  const { csms, ev, makeCert } = await certCase(t);
  await booted(csms, 2);
  const a = makeCert('rootA', { serial: '0x0a' }), b = makeCert('rootB', { serial: '0x0b' });
  for (const c of [a, b])
    assert.deepEqual(await csms.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: c.pem }),
      { status: 'Accepted' });
  const list = () => csms.call('GetInstalledCertificateIds', { certificateType: 'CentralSystemRootCertificate' });
  const before = await list();
  assert.equal(before.status, 'Accepted');
  const ha = hashData(a.pem), hb = hashData(b.pem);
  const key = (h) => `${h.issuerNameHash}/${h.issuerKeyHash}/${h.serialNumber}`;
  assert.deepEqual(before.certificateHashData.map(key).sort(), [ha, hb].map(key).sort());

  assert.deepEqual(await csms.call('DeleteCertificate', { certificateHashData: ha }), { status: 'Accepted' });
  assert.deepEqual(await list(), { status: 'Accepted', certificateHashData: [hb] });
  assert.deepEqual(await csms.call('DeleteCertificate', { certificateHashData: ha }), { status: 'NotFound' });
  assert.deepEqual(await csms.call('DeleteCertificate', { certificateHashData: hashData(b.pem, 'sha384') }),
    { status: 'Accepted' });
  assert.deepEqual(await list(), { status: 'NotFound' });
  await csms.settle();
  await ev.stop();
});
