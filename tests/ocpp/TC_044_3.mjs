// SPDX-License-Identifier: MIT
//
// OCTT TC_044_3_CS "Firmware Update - Installation failed" (C10), as the
// OCTT test case document (2025-06 draft) describes it: UpdateFirmware
// with an invalid firmware; the charge point reports
// FirmwareStatusNotification Downloading, Downloaded, Installing and
// InstallationFailed; the running firmware stays. (The CSMS-side document
// lets the charge point reboot before reporting; evsed refuses the image
// before any change, so it does not reboot.)
// Here the image (over http:// from a local server) is corrupted: one
// payload byte differs from what its SHA-256 says. The server drops the
// first response half-way; the second try resumes it with a Range request
// (206). The check refuses the image: no reboot, the same firmwareVersion
// at the next boot, and the connectors made Unavailable while waiting to
// install are Available again. A running transaction holds the
// installation back until it ends. Then a good image whose command installer
// program fails (exit 1): InstallationFailed too, no reboot.
import fs from 'node:fs';
import path from 'node:path';
import { run, assert, booted, charging, none } from './lib/evsed.mjs';
import { HttpFiles, fwImage, corrupted } from './lib/files.mjs';

run('TC_044_3', async (t) => {
  const files = await new HttpFiles().start();
  try {
    const img = corrupted(fwImage('9.9.3-bad', Buffer.alloc(200000, 7)));
    files.files.set('/fw.img', img);
    files.cutFirst = 100000;
    const csms = await t.csms();
    const ev = await t.evsed(csms);
    await booted(csms, 2);
    const version = csms.frames[0].payload.firmwareVersion;
    await charging(ev, csms, { conn: 1 });

    let m = csms.mark();
    assert.deepEqual(await csms.call('UpdateFirmware',
      { location: `${files.url}/fw.img`, retrieveDate: csms.now(), retries: 2, retryInterval: 10 }), {});
    const fsn = (s, since = m) => csms.waitFor('FirmwareStatusNotification', (p) => p.status === s, { since });
    await fsn('Downloading');
    await csms.settle(500);
    await ev.advance(10); // the second try, after retryInterval
    const done = await fsn('Downloaded');
    const gets = files.requests.filter((r) => r.method === 'GET');
    assert.equal(gets.length, 2, JSON.stringify(gets));
    assert.equal(gets[1].range, 'bytes=100000-', 'the second try resumes the file');

    // Connector 1 charges: connector 2 is made Unavailable, no installation yet.
    await csms.waitFor('StatusNotification', (p) => p.connectorId === 2 && p.status === 'Unavailable', { since: done.n });
    await csms.settle();
    none(csms, 'FirmwareStatusNotification', done.n + 1, () => true, 'a transaction runs');
    await ev.advance(30);
    await csms.settle();
    none(csms, 'FirmwareStatusNotification', done.n + 1, () => true, 'a transaction runs');

    const mark = csms.mark();
    await ev.swipe('CARD1'); // ends the transaction
    await csms.waitFor('StopTransaction', () => true, { since: mark });
    const inst = await fsn('Installing', mark);
    const fail = await fsn('InstallationFailed', inst.n);
    assert.ok(fail.n > inst.n);
    await csms.waitFor('StatusNotification', (p) => p.connectorId === 2 && p.status === 'Available', { since: inst.n });
    await csms.settle();
    assert.equal(csms.connections, 1, 'no reboot');
    assert.deepEqual(csms.since(m, 'FirmwareStatusNotification').map((f) => f.payload.status),
      ['Downloading', 'Downloaded', 'Installing', 'InstallationFailed']);

    m = csms.mark();
    await ev.stop();
    await ev.restart();
    const boot = await csms.waitFor('BootNotification', () => true, { since: m });
    assert.equal(boot.payload.firmwareVersion, version, 'the running version stays');
    await booted(csms, 2, m);
    none(csms, 'FirmwareStatusNotification', m);
    await ev.stop();

    // A good image, but the command installer's program fails (exit 1).
    const script = path.join(t.dir, 'install-fails.sh');
    fs.writeFileSync(script, '#!/bin/sh\necho "no space left" >&2\nexit 1\n', { mode: 0o700 });
    files.files.set('/good.img', fwImage('9.9.4-good'));
    ev.args.push('--set', 'firmware.installer=command', '--set', `firmware.install_command=${script}`);
    m = csms.mark();
    await ev.restart();
    await booted(csms, 2, m);
    m = csms.mark();
    assert.deepEqual(await csms.call('UpdateFirmware', { location: `${files.url}/good.img`, retrieveDate: csms.now() }), {});
    const i2 = await fsn('Installing', m);
    await fsn('InstallationFailed', i2.n);
    await csms.settle();
    assert.equal(csms.since(m, 'BootNotification').length, 0, 'no reboot');
    await ev.stop();
  } finally {
    await files.close();
  }
});
