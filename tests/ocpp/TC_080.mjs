// SPDX-License-Identifier: MIT
//
// OCTT TC_080_CS "Secure Firmware Update" (C12), as the OCTT test case
// document (2025-06 draft) describes it: SignedUpdateFirmware (the charge
// point has verified the signing certificate: Accepted); then
// SignedFirmwareStatusNotification Downloading, Downloaded,
// SignatureVerified, Installing, the reboot (BootNotification), Installed,
// each with the request's requestId.
// Here: a manufacturer root made with the openssl command is installed
// (InstallCertificate ManufacturerRootCertificate), the signing certificate
// is issued by it, the image (evsed's format, over http://) is signed with
// its key (SHA-256); after the reboot BootNotification reports the new
// version and SecurityEventNotification FirmwareUpdated follows.
import { run, assert, booted } from './lib/evsed.mjs';
import { certCase } from './lib/certcase.mjs';
import { makeSigned, signB64 } from './lib/certs.mjs';
import { HttpFiles, fwImage } from './lib/files.mjs';

run('TC_080', async (t) => {
  const files = await new HttpFiles().start();
  try {
    const { csms, ev, dir, makeCert } = await certCase(t);
    await booted(csms, 2);
    const root = makeCert('mfroot');
    const signer = makeSigned(dir, 'signer', root);
    assert.deepEqual(await csms.call('InstallCertificate',
      { certificateType: 'ManufacturerRootCertificate', certificate: root.pem }), { status: 'Accepted' });
    const img = fwImage('9.8.0-signed');
    files.files.set('/signed.img', img);

    const m = csms.mark();
    const pid = ev.pid;
    assert.deepEqual(await csms.call('SignedUpdateFirmware', {
      requestId: 11,
      firmware: { location: `${files.url}/signed.img`, retrieveDateTime: csms.now(),
        signingCertificate: signer.pem, signature: signB64(img, signer.key) },
    }), { status: 'Accepted' });
    const s = (st, since = m) => csms.waitFor('SignedFirmwareStatusNotification', (p) => p.status === st, { since });
    const seq = [];
    for (const st of ['Downloading', 'Downloaded', 'SignatureVerified', 'Installing']) {
      const f = await s(st, seq.length ? seq[seq.length - 1].n + 1 : m);
      assert.equal(f.payload.requestId, 11);
      seq.push(f);
    }
    await csms.waitConnected(2);
    const boot = await csms.waitFor('BootNotification', () => true, { since: seq[3].n });
    assert.equal(ev.pid, pid, 'restarted into the new firmware');
    assert.equal(boot.payload.firmwareVersion, '9.8.0-signed');
    const inst = await s('Installed', boot.n);
    assert.equal(inst.payload.requestId, 11);
    await csms.waitFor('SecurityEventNotification', (p) => p.type === 'FirmwareUpdated', { since: boot.n });
    assert.equal(csms.since(m, 'FirmwareStatusNotification').length, 0, 'only the signed notifications');
    await csms.settle();
    await ev.d.waitReady();
    await ev.stop();
  } finally {
    await files.close();
  }
});
