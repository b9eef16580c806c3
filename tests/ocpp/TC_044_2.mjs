// SPDX-License-Identifier: MIT
//
// OCTT TC_044_2_CS "Firmware Update - Download failed" (C10), as the OCTT
// test case document (2025-06 draft) describes it: UpdateFirmware with
// retries 0 and a file name that does not exist on the server; the charge
// point answers, reports FirmwareStatusNotification Downloading (optional)
// and DownloadFailed; the old firmware stays, the charger is Available.
// Here: the URL names a loopback port nothing listens on; retries 1 with
// retryInterval 30 s: a second try 30 s after the first (nothing between),
// then DownloadFailed; no Installing, no reboot, the connectors stay
// Available, a triggered FirmwareStatusNotification says Idle after it. A
// location of an unsupported scheme fails the same way; so does an image
// larger than the 64 MiB cap (the transfer stops there, nothing is kept).
import fs from 'node:fs';
import path from 'node:path';
import { run, assert, booted, none } from './lib/evsed.mjs';
import { HttpFiles, deadPort } from './lib/files.mjs';

run('TC_044_2', async (t) => {
  const port = await deadPort();
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const version = csms.frames[0].payload.firmwareVersion;

  let m = csms.mark();
  assert.deepEqual(await csms.call('UpdateFirmware',
    { location: `http://127.0.0.1:${port}/fw.img`, retrieveDate: csms.now(), retries: 1, retryInterval: 30 }), {});
  const dl = await csms.waitFor('FirmwareStatusNotification', () => true, { since: m });
  assert.equal(dl.payload.status, 'Downloading');
  csms.assertAfterAnswer(dl);
  await csms.settle(500);
  none(csms, 'FirmwareStatusNotification', dl.n + 1, () => true, 'the second try waits for retryInterval');
  await ev.advance(29);
  await csms.settle(500);
  none(csms, 'FirmwareStatusNotification', dl.n + 1, () => true, 'the second try waits for retryInterval');
  await ev.advance(1);
  const failed = await csms.waitFor('FirmwareStatusNotification', () => true, { since: dl.n + 1 });
  assert.equal(failed.payload.status, 'DownloadFailed');
  await csms.settle();
  none(csms, 'StatusNotification', m, (p) => p.status !== 'Available', 'connectors untouched');
  assert.equal(csms.connections, 1, 'no reboot');

  m = csms.mark();
  assert.deepEqual(await csms.call('TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' }),
    { status: 'Accepted' });
  assert.equal((await csms.waitFor('FirmwareStatusNotification', () => true, { since: m })).payload.status, 'Idle');

  // Not http(s) or ftp: the one try fails at once.
  m = csms.mark();
  assert.deepEqual(await csms.call('UpdateFirmware',
    { location: 'file:///etc/passwd', retrieveDate: csms.now() }), {});
  const a = await csms.waitFor('FirmwareStatusNotification', () => true, { since: m });
  const b = await csms.waitFor('FirmwareStatusNotification', () => true, { since: a.n + 1 });
  assert.deepEqual([a.payload.status, b.payload.status], ['Downloading', 'DownloadFailed']);
  await csms.settle();

  // The OCTT way: a file the server does not have (404), retries 0.
  const files = await new HttpFiles().start();
  try {
    m = csms.mark();
    assert.deepEqual(await csms.call('UpdateFirmware',
      { location: `${files.url}/does_not_exist_fw.img`, retrieveDate: csms.now(), retries: 0 }), {});
    const c = await csms.waitFor('FirmwareStatusNotification', () => true, { since: m });
    const d = await csms.waitFor('FirmwareStatusNotification', () => true, { since: c.n + 1 });
    assert.deepEqual([c.payload.status, d.payload.status], ['Downloading', 'DownloadFailed']);
    assert.equal(files.requests.length, 1, 'one try');
    await csms.settle();

    // Larger than the 64 MiB cap (streamed without a length): the download
    // stops at the cap, DownloadFailed, no partial file kept.
    files.big.set('/huge.img', 80 * 1024 * 1024);
    m = csms.mark();
    assert.deepEqual(await csms.call('UpdateFirmware',
      { location: `${files.url}/huge.img`, retrieveDate: csms.now() }), {});
    const e = await csms.waitFor('FirmwareStatusNotification', (p) => p.status === 'DownloadFailed', { since: m });
    assert.ok(e, 'DownloadFailed');
    assert.ok(files.bigSent < 80 * 1024 * 1024, `stopped at the cap (${files.bigSent} bytes sent)`);
    const data = path.join(t.dir, 'var');
    assert.ok(!fs.readdirSync(data).some((f) => f.startsWith('firmware.')), 'no firmware file left');
    await csms.settle();
  } finally {
    await files.close();
  }

  // The next boot reports the same firmware.
  m = csms.mark();
  await ev.stop();
  await ev.restart();
  const boot = await csms.waitFor('BootNotification', () => true, { since: m });
  assert.equal(boot.payload.firmwareVersion, version);
  await booted(csms, 2, m);
  none(csms, 'FirmwareStatusNotification', m);
  await ev.stop();
});
