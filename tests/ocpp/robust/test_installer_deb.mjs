// SPDX-License-Identifier: MIT
//
// The shipped package installer (C10, contrib/installers/evsed-install-deb)
// behind an OCPP UpdateFirmware: the image's payload is a .deb of the package
// "evsed" built here with dpkg-deb, installed by the real dpkg into a scratch
// root (EVSED_DPKG_ROOT). The charger reports Installing, restarts, and
// BootNotification and Installed follow; dpkg's database then holds the
// version. Then an image whose package version differs from the image's is
// InstallationFailed and dpkg's database is unchanged; so is one whose payload
// is not a package at all. The RAUC wrapper (evsed-install-rauc) is checked
// against a stand-in rauc program: the contract (bundle version, exit codes),
// not RAUC itself.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync, spawnSync } from 'node:child_process';
import { run, assert, booted } from '../lib/evsed.mjs';
import { HttpFiles, fwImage } from '../lib/files.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const installers = path.resolve(here, '../../../contrib/installers');

function deb(dir, version, pkg = 'evsed') {
  const root = path.join(dir, `pkg-${version}`);
  fs.mkdirSync(path.join(root, 'DEBIAN'), { recursive: true });
  fs.mkdirSync(path.join(root, 'opt/evsed'), { recursive: true });
  fs.writeFileSync(path.join(root, 'DEBIAN/control'),
    `Package: ${pkg}\nVersion: ${version}\nArchitecture: all\nMaintainer: evsed tests <t@example.invalid>\nDescription: evsed test package\n`);
  fs.writeFileSync(path.join(root, 'opt/evsed/VERSION'), `${version}\n`);
  const out = path.join(dir, `${pkg}_${version}.deb`);
  execFileSync('dpkg-deb', ['--build', '--root-owner-group', root, out], { stdio: 'ignore' });
  return fs.readFileSync(out);
}

function dpkgRoot(dir) {
  const r = path.join(dir, 'root');
  for (const d of ['var/lib/dpkg/info', 'var/lib/dpkg/updates']) fs.mkdirSync(path.join(r, d), { recursive: true });
  fs.writeFileSync(path.join(r, 'var/lib/dpkg/status'), '');
  return r;
}

function installed(root) {
  const q = spawnSync('dpkg-query', [`--admindir=${root}/var/lib/dpkg`, '--show', '--showformat=${Version}', 'evsed']);
  return q.status === 0 ? q.stdout.toString() : null;
}

run('installer_deb', async (t) => {
  const root = dpkgRoot(t.dir);
  process.env.EVSED_DPKG_ROOT = root; // evsed passes its environment to the installer
  const http = await new HttpFiles().start();
  try {
    http.files.set('/good.img', fwImage('9.9.3-deb', deb(t.dir, '9.9.3-deb')));
    http.files.set('/mismatch.img', fwImage('9.9.4-deb', deb(t.dir, '9.9.5-other')));
    http.files.set('/notdeb.img', fwImage('9.9.6-deb', Buffer.from('not a package')));
    const csms = await t.csms();
    const ev = await t.evsed(csms, {
      args: ['--set', 'firmware.installer=command',
        '--set', `firmware.install_command=${path.join(installers, 'evsed-install-deb')}`],
    });
    await booted(csms, 2);

    let m = csms.mark();
    const fsn = (s, since) => csms.waitFor('FirmwareStatusNotification', (p) => p.status === s, { since });
    assert.deepEqual(await csms.call('UpdateFirmware', { location: `${http.url}/good.img`, retrieveDate: csms.now() }), {});
    const inst = await fsn('Installing', m);
    const boot = await csms.waitFor('BootNotification', () => true, { since: inst.n });
    assert.equal(boot.payload.firmwareVersion, '9.9.3-deb');
    await fsn('Installed', boot.n);
    assert.equal(installed(root), '9.9.3-deb');
    assert.equal(fs.readFileSync(path.join(root, 'opt/evsed/VERSION'), 'utf8'), '9.9.3-deb\n');
    await csms.settle();
    await ev.d.waitReady();

    for (const img of ['mismatch.img', 'notdeb.img']) {
      m = csms.mark();
      assert.deepEqual(await csms.call('UpdateFirmware', { location: `${http.url}/${img}`, retrieveDate: csms.now() }), {});
      await fsn('InstallationFailed', m);
      await csms.settle();
      assert.equal(csms.since(m, 'BootNotification').length, 0, `${img}: no restart`);
      assert.equal(installed(root), '9.9.3-deb', `${img}: dpkg's database unchanged`);
    }
    await ev.stop();
  } finally {
    await http.close();
  }

  // The RAUC wrapper against a stand-in rauc: 'info' prints the bundle's
  // version (the bundle's first line here), 'install' records the bundle.
  const fake = path.join(t.dir, 'rauc');
  const log = path.join(t.dir, 'rauc.log');
  fs.writeFileSync(fake, `#!/bin/sh
case "$1" in
info) v=$(head -n1 "$3") || exit 1; [ -n "$v" ] || exit 1; echo "RAUC_MF_VERSION='$v'" ;;
install) [ "\${2%.raucb}" != "$2" ] || exit 1; cp "$2" '${log}' ;;
*) exit 2 ;;
esac
`, { mode: 0o700 });
  const rauc = (payload, version) => spawnSync(path.join(installers, 'evsed-install-rauc'),
    [payload, version], { env: { ...process.env, EVSED_RAUC: fake } });
  const bundle = path.join(t.dir, 'payload');
  fs.writeFileSync(bundle, '2.0.1\nbundle body\n');
  let r = rauc(bundle, '2.0.1');
  assert.equal(r.status, 0, r.stderr.toString());
  assert.equal(fs.readFileSync(log, 'utf8'), '2.0.1\nbundle body\n');
  assert.ok(!fs.existsSync(`${bundle}.raucb`), 'the .raucb link is removed');
  fs.rmSync(log);
  r = rauc(bundle, '2.0.2');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr.toString(), /bundle version '2.0.1' is not the image's version '2.0.2'/);
  assert.ok(!fs.existsSync(log), 'nothing installed');
  fs.writeFileSync(bundle, '');
  r = rauc(bundle, '2.0.1');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr.toString(), /not a valid bundle/);
});
