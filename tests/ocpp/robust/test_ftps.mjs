// SPDX-License-Identifier: MIT
//
// FTP over TLS for Firmware Management (C10): evsed-xfer asks for TLS on
// ftp:// (AUTH TLS, explicit) and speaks it from the first byte on ftps://
// (implicit), verifying the server against ocpp.ca_file. Against ftp-srv
// with a certificate from a test CA made here with the openssl command:
//  1. UpdateFirmware from ftp:// on a server offering TLS: the login came
//     over TLS, the image installs (BootNotification with its version);
//  2. GetDiagnostics to ftps:// (implicit): the archive arrives, over TLS;
//  3. a server whose certificate another CA signed: DownloadFailed, and no
//     login at all (the handshake fails before the credentials are sent).
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { run, assert, booted } from '../lib/evsed.mjs';
import { FtpFiles, fwImage } from '../lib/files.mjs';

const OPENSSL = process.env.OPENSSL || 'openssl';

function pki(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const f = (n) => path.join(dir, n);
  const ssl = (...a) => execFileSync(OPENSSL, a, { stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  const ca = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'];
  ssl('req', '-x509', ...ec, ...ca, '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=evsed FTPS test CA');
  ssl('req', '-x509', ...ec, ...ca, '-keyout', f('other.key'), '-out', f('other.pem'), '-days', '2', '-subj', '/CN=another CA');
  fs.writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  const leaf = (name, by) => {
    ssl('req', ...ec, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', '/CN=127.0.0.1');
    ssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f(`${by}.pem`), '-CAkey', f(`${by}.key`), '-CAcreateserial',
      '-out', f(`${name}.pem`), '-days', '2', '-extfile', f('ext.cnf'));
    return { key: fs.readFileSync(f(`${name}.key`)), cert: fs.readFileSync(f(`${name}.pem`)) };
  };
  return { ca: f('ca.pem'), good: leaf('srv', 'ca'), bad: leaf('rogue', 'other') };
}

run('ftps', async (t) => {
  const p = pki(path.join(t.dir, 'pki'));
  const explicit = await new FtpFiles(path.join(t.dir, 'ftp1'), { tls: p.good }).start();
  const implicit = await new FtpFiles(path.join(t.dir, 'ftp2'), { tls: p.good, implicit: true }).start();
  const rogue = await new FtpFiles(path.join(t.dir, 'ftp3'), { tls: p.bad }).start();
  try {
    explicit.put('fw.img', fwImage('9.9.7-ftps'));
    rogue.put('fw.img', fwImage('9.9.8-rogue'));
    const csms = await t.csms();
    const ev = await t.evsed(csms, { args: ['--set', `ocpp.ca_file=${p.ca}`] });
    await booted(csms, 2);
    const fsn = (s, since) => csms.waitFor('FirmwareStatusNotification', (x) => x.status === s, { since });

    // 1. Explicit TLS on ftp://.
    let m = csms.mark();
    assert.deepEqual(await csms.call('UpdateFirmware', { location: `${explicit.url}/fw.img`, retrieveDate: csms.now() }), {});
    const inst = await fsn('Installing', m);
    const boot = await csms.waitFor('BootNotification', () => true, { since: inst.n });
    assert.equal(boot.payload.firmwareVersion, '9.9.7-ftps');
    assert.ok(explicit.logins.length > 0 && explicit.logins.every((l) => l.secure), `logins over TLS: ${JSON.stringify(explicit.logins)}`);
    await fsn('Installed', boot.n);
    await csms.settle();
    await ev.d.waitReady();

    // 2. Implicit TLS (ftps://): the diagnostics upload.
    m = csms.mark();
    const r = await csms.call('GetDiagnostics', { location: `${implicit.url}/diag/` });
    assert.ok(r.fileName, 'a file name is announced');
    await csms.waitFor('DiagnosticsStatusNotification', (x) => x.status === 'Uploaded', { since: m });
    const up = implicit.get(`diag/${r.fileName}`);
    assert.ok(up && up[0] === 0x1f && up[1] === 0x8b, 'a gzip archive arrived');
    assert.ok(implicit.logins.length > 0 && implicit.logins.every((l) => l.secure));

    // 3. An untrusted server: no login, DownloadFailed.
    m = csms.mark();
    assert.deepEqual(await csms.call('UpdateFirmware',
      { location: `${rogue.url}/fw.img`, retrieveDate: csms.now(), retries: 0 }), {});
    await fsn('DownloadFailed', m);
    assert.equal(rogue.logins.length, 0, 'no credentials sent to an untrusted server');
    await ev.stop();
  } finally {
    for (const s of [explicit, implicit, rogue]) await s.close();
  }
});
