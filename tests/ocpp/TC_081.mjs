// SPDX-License-Identifier: MIT
//
// OCTT TC_081_CS "Secure Firmware Update - Invalid Signature" (C12), as the
// OCTT test case document (2025-06 draft) describes it: SignedUpdateFirmware
// with a signature that is not the firmware's; SignedFirmwareStatusNotification
// Downloading, Downloaded, then InvalidSignature and a
// SecurityEventNotification (InvalidFirmwareSignature), in either order.
// On top: the running firmware stays (no reboot; the next boot reports the
// same version); a signing certificate that no installed manufacturer root
// issued is answered InvalidCertificate with a SecurityEventNotification
// InvalidFirmwareSigningCertificate, and nothing is downloaded.
import { run, assert, booted, none } from './lib/evsed.mjs';
import { certCase } from './lib/certcase.mjs';
import { makeSigned, signB64 } from './lib/certs.mjs';
import { HttpFiles, fwImage } from './lib/files.mjs';

run('TC_081', async (t) => {
  const files = await new HttpFiles().start();
  try {
    const { csms, ev, dir, makeCert } = await certCase(t);
    await booted(csms, 2);
    const version = csms.frames[0].payload.firmwareVersion;
    const root = makeCert('mfroot'), stranger = makeCert('otherroot', { serial: '0x99' });
    const signer = makeSigned(dir, 'signer', root), foreign = makeSigned(dir, 'foreign', stranger);
    assert.deepEqual(await csms.call('InstallCertificate',
      { certificateType: 'ManufacturerRootCertificate', certificate: root.pem }), { status: 'Accepted' });
    const img = fwImage('9.8.1-bad');
    files.files.set('/fw.img', img);
    const req = (cert, sig, requestId) => ({ requestId, firmware: { location: `${files.url}/fw.img`,
      retrieveDateTime: csms.now(), signingCertificate: cert, signature: sig } });

    // Not from the manufacturer's root.
    let m = csms.mark();
    assert.deepEqual(await csms.call('SignedUpdateFirmware', req(foreign.pem, signB64(img, foreign.key), 20)),
      { status: 'InvalidCertificate' });
    const ev1 = await csms.waitFor('SecurityEventNotification', () => true, { since: m });
    assert.equal(ev1.payload.type, 'InvalidFirmwareSigningCertificate');
    await csms.settle();
    none(csms, 'SignedFirmwareStatusNotification', m);
    assert.equal(files.requests.length, 0, 'nothing downloaded');

    // The right certificate, the signature of other bytes.
    m = csms.mark();
    assert.deepEqual(await csms.call('SignedUpdateFirmware', req(signer.pem, signB64(Buffer.from('other'), signer.key), 21)),
      { status: 'Accepted' });
    const st = [];
    for (const want of ['Downloading', 'Downloaded', 'InvalidSignature']) {
      const f = await csms.waitFor('SignedFirmwareStatusNotification', (p) => p.status === want, { since: m });
      assert.equal(f.payload.requestId, 21);
      st.push(f.payload.status);
    }
    await csms.waitFor('SecurityEventNotification', (p) => p.type === 'InvalidFirmwareSignature', { since: m });
    await csms.settle();
    assert.deepEqual(csms.since(m, 'SignedFirmwareStatusNotification').map((f) => f.payload.status),
      ['Downloading', 'Downloaded', 'InvalidSignature']);
    assert.equal(csms.connections, 1, 'no reboot');

    m = csms.mark();
    await ev.stop();
    await ev.restart();
    const boot = await csms.waitFor('BootNotification', () => true, { since: m });
    assert.equal(boot.payload.firmwareVersion, version, 'the running firmware stays');
    await booted(csms, 2, m);
    await ev.stop();
  } finally {
    await files.close();
  }
});
