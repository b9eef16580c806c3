// SPDX-License-Identifier: MIT
//
// OCTT TC_075_1_CS "Install a certificate on the Charge Point -
// ManufacturerRootCertificate" (C12), as the OCTT test case document (2025-06
// draft) describes it: InstallCertificate with a root certificate is
// Accepted; GetInstalledCertificateIds ManufacturerRootCertificate is
// Accepted and its certificateHashData includes the certificate, by the
// tool's own calculation of the hash data (lib/certs.mjs).
// On top: installed again, it is listed once; the other type lists nothing
// (NotFound); the certificate survives a restart; its file is 0600 in a 0700
// directory of the data directory.
import fs from 'node:fs';
import path from 'node:path';
import { run, assert, booted } from './lib/evsed.mjs';
import { certCase } from './lib/certcase.mjs';
import { hashData } from './lib/certs.mjs';

export async function installCase(t, type, other) {
  const { csms, ev, makeCert } = await certCase(t);
  await booted(csms, 2);
  const root = makeCert('root1');
  assert.deepEqual(await csms.call('InstallCertificate', { certificateType: type, certificate: root.pem }),
    { status: 'Accepted' });
  assert.deepEqual(await csms.call('InstallCertificate', { certificateType: type, certificate: root.pem }),
    { status: 'Accepted' });
  const want = hashData(root.pem);
  const list = async (ct) => csms.call('GetInstalledCertificateIds', { certificateType: ct });
  assert.deepEqual(await list(type), { status: 'Accepted', certificateHashData: [want] });
  assert.deepEqual(await list(other), { status: 'NotFound' });
  const dir = path.join(t.dir, 'var', 'certs');
  assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
  for (const f of fs.readdirSync(dir)) assert.equal(fs.statSync(path.join(dir, f)).mode & 0o777, 0o600, f);

  await ev.stop();
  await ev.restart();
  assert.deepEqual(await list(type), { status: 'Accepted', certificateHashData: [want] });
  await csms.settle();
  await ev.stop();
  return { csms, ev, root, want };
}

if (process.argv[1].endsWith('TC_075_1.mjs'))
  run('TC_075_1', (t) => installCase(t, 'ManufacturerRootCertificate', 'CentralSystemRootCertificate'));
