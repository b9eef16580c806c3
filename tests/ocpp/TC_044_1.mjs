// SPDX-License-Identifier: MIT
//
// OCTT TC_044_1_CS "Firmware Update - Download and Install" (C10), as the
// OCTT test case document (2025-06 draft) describes it: the CSMS sends
// UpdateFirmware; the charge point answers (it MAY set its connectors
// Unavailable), then reports FirmwareStatusNotification Downloading,
// Downloaded, Installing, reboots (a new BootNotification) and reports
// Installed.
// Here, on top: the image comes over ftp:// from a local FTP server; the
// retrieveDate lies 2 minutes ahead and the power is cut (kill -9) while
// the charger waits for it: the update survives, nothing is fetched before
// the date, and after it the update runs as above. While it waits to install,
// the free connectors are Unavailable; after the reboot they are Available
// again and BootNotification reports the new firmwareVersion. Then the same
// with the command installer (firmware.installer = command): the program
// gets the payload and the version, and its exit 0 installs.
import fs from 'node:fs';
import path from 'node:path';
import { run, assert, booted } from './lib/evsed.mjs';
import { FtpFiles, fwImage } from './lib/files.mjs';

run('TC_044_1', async (t) => {
  const ftp = await new FtpFiles(path.join(t.dir, 'ftp')).start();
  try {
    ftp.put('fw.img', fwImage('9.9.1-test'));
    const csms = await t.csms();
    const ev = await t.evsed(csms);
    const boot0 = csms.frames.find((f) => f.action === 'BootNotification');
    assert.notEqual(boot0.payload.firmwareVersion, '9.9.1-test');
    await booted(csms, 2);

    const retrieve = new Date(csms.clockMs + 120000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    let m = csms.mark();
    assert.deepEqual(await csms.call('UpdateFirmware',
      { location: `${ftp.url}/fw.img`, retrieveDate: retrieve, retries: 1, retryInterval: 30 }), {});
    await csms.settle();
    assert.equal(csms.since(m, 'FirmwareStatusNotification').length, 0, 'nothing before the retrieveDate');

    // Power cut while waiting for the retrieveDate.
    await ev.killHard();
    m = csms.mark();
    await ev.restart();
    await booted(csms, 2, m);
    await ev.advance(60);
    await csms.settle();
    assert.equal(csms.since(m, 'FirmwareStatusNotification').length, 0, 'still before the retrieveDate');

    const pid = ev.pid;
    await ev.advance(61);
    const fsn = (s) => csms.waitFor('FirmwareStatusNotification', (p) => p.status === s, { since: m });
    const dl = await fsn('Downloading');
    const done = await fsn('Downloaded');
    const inst = await fsn('Installing');
    assert.ok(dl.n < done.n && done.n < inst.n, 'Downloading, Downloaded, Installing in order');
    // Waiting to install: the free connectors were made Unavailable.
    for (const c of [1, 2])
      await csms.waitFor('StatusNotification', (p) => p.connectorId === c && p.status === 'Unavailable', { since: done.n });

    await csms.waitConnected(3);
    const boot = await csms.waitFor('BootNotification', () => true, { since: inst.n });
    assert.equal(ev.pid, pid, 'evsed restarted itself into the new firmware');
    assert.equal(boot.payload.firmwareVersion, '9.9.1-test');
    const installed = await fsn('Installed');
    assert.ok(installed.n > boot.n);
    for (const c of [1, 2])
      await csms.waitFor('StatusNotification', (p) => p.connectorId === c && p.status === 'Available', { since: boot.n });
    await csms.settle();
    assert.deepEqual(csms.since(m, 'FirmwareStatusNotification').map((f) => f.payload.status),
      ['Downloading', 'Downloaded', 'Installing', 'Installed']);
    await ev.d.waitReady();
    // A triggered FirmwareStatusNotification now says Idle.
    m = csms.mark();
    assert.deepEqual(await csms.call('TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' }),
      { status: 'Accepted' });
    assert.equal((await csms.waitFor('FirmwareStatusNotification', () => true, { since: m })).payload.status, 'Idle');
    await ev.stop();

    // The command installer (a real system's A/B or package tool): the
    // program gets the payload and the version; exit 0 installs.
    const script = path.join(t.dir, 'install.sh');
    const got = path.join(t.dir, 'got.bin');
    fs.writeFileSync(script, `#!/bin/sh\ncp "$1" '${got}' && echo "$2" >> '${got}.ver'\n`, { mode: 0o700 });
    const payload = Buffer.from('a package for the new firmware');
    ftp.put('fw2.img', fwImage('9.9.2-cmd', payload));
    ev.args.push('--set', 'firmware.installer=command', '--set', `firmware.install_command=${script}`);
    m = csms.mark();
    await ev.restart();
    await booted(csms, 2, m);
    await ev.d.waitReady();
    m = csms.mark();
    assert.deepEqual(await csms.call('UpdateFirmware', { location: `${ftp.url}/fw2.img`, retrieveDate: csms.now() }), {});
    const i2 = await fsn('Installing', m);
    const b2 = await csms.waitFor('BootNotification', () => true, { since: i2.n });
    assert.equal(b2.payload.firmwareVersion, '9.9.2-cmd');
    await fsn('Installed', b2.n);
    assert.deepEqual(fs.readFileSync(got), payload, 'the program got the payload');
    assert.equal(fs.readFileSync(`${got}.ver`, 'utf8'), '9.9.2-cmd\n');
    await csms.settle();
    await ev.d.waitReady();
    await ev.stop();
  } finally {
    await ftp.close();
  }
});
