// SPDX-License-Identifier: MIT
//
// OCTT TC_078_CS "Invalid CentralSystemCertificate Security Event" (C12). The
// CSMS-side OCTT document (2025-06 draft) describes the exchange: the Central
// System sends InstallCertificate CentralSystemRootCertificate with a
// certificate the charge point must refuse; it answers Rejected and sends
// SecurityEventNotification with type InvalidCentralSystemCertificate.
// Here: a leaf certificate (CA:FALSE), then text that is not a certificate;
// each is Rejected with its event, nothing is installed. A leaf offered as
// ManufacturerRootCertificate is Rejected without that event.
import { run, assert, booted, none } from './lib/evsed.mjs';
import { certCase } from './lib/certcase.mjs';

run('TC_078', async (t) => {
  const { csms, ev, makeCert } = await certCase(t);
  await booted(csms, 2);
  await csms.waitFor('SecurityEventNotification', (p) => p.type === 'StartupOfTheDevice');
  await csms.settle();
  const leaf = makeCert('leaf', { ca: false });
  for (const certificate of [leaf.pem, '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n']) {
    const m = csms.mark();
    assert.deepEqual(await csms.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate }),
      { status: 'Rejected' });
    const e = await csms.waitFor('SecurityEventNotification', () => true, { since: m });
    assert.equal(e.payload.type, 'InvalidCentralSystemCertificate');
    csms.assertAfterAnswer(e);
    await csms.settle();
  }
  const m = csms.mark();
  assert.deepEqual(await csms.call('InstallCertificate', { certificateType: 'ManufacturerRootCertificate', certificate: leaf.pem }),
    { status: 'Rejected' });
  await csms.settle();
  none(csms, 'SecurityEventNotification', m);
  for (const certificateType of ['CentralSystemRootCertificate', 'ManufacturerRootCertificate'])
    assert.deepEqual(await csms.call('GetInstalledCertificateIds', { certificateType }), { status: 'NotFound' });
  await ev.stop();
});
