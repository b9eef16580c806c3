// SPDX-License-Identifier: MIT
// REST API, firmware upload with the command installer (G4 C10:
// firmware.installer = command): the image is verified, the answer is 202
// and the installer program runs on a worker thread with the payload and
// the version; a second upload meanwhile is refused (409). The program
// failing gives E01 UP in the status, nothing installed; succeeding gives
// 100 UP, the restart and the new version. No temporary file is left.
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import {
  assert, run, SIM, Client, startWeb, expectStatus, DEFAULT_PW,
} from './lib.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function fwImage(version, payload = crypto.randomBytes(64 * 1024)) {
  const h = Buffer.alloc(112);
  h.write('EVSEDFW1', 0, 'latin1');
  h.write(version, 8, 'latin1');
  h.writeBigUInt64BE(BigInt(payload.length), 72);
  crypto.createHash('sha256').update(payload).digest().copy(h, 80);
  return Buffer.concat([h, payload]);
}
const md5 = (b) => crypto.createHash('md5').update(b).digest('hex');

/** POST the file as the body: {status, json}. */
function upload(c, file, checksum) {
  const headers = {
    'content-type': 'application/octet-stream', 'content-length': file.length,
    cookie: c.cookie, 'x-csrf-token': c.csrf,
  };
  return new Promise((resolve, reject) => {
    const r = https.request(`${c.base}/api/firmware?checksum=${checksum}`, { method: 'POST', headers, ca: c.ca, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => { text += d; });
        res.on('end', () => resolve({ status: res.statusCode, text, json: JSON.parse(text) }));
      });
    r.on('error', reject);
    r.end(file);
  });
}

/** The status's firmware once display_code is set (bounded). */
async function code(d) {
  for (let i = 0; i < 100; i++) {
    const fw = (await d.status()).firmware;
    if (fw.display_code) return fw;
    await sleep(100);
  }
  assert.fail('no result code in the status within 10 s');
}

run('web_api_firmware_command', async (t) => {
  // The installer program: records its arguments and the payload's size;
  // fails while the file "fail" exists.
  const script = path.join(t.dir, 'install.sh');
  const log = path.join(t.dir, 'installed.txt');
  const fail = path.join(t.dir, 'fail');
  fs.writeFileSync(script, `#!/bin/sh\nsleep 1\n[ -f '${fail}' ] && exit 3\necho "$(basename "$1") $(wc -c < "$1") $2" >> '${log}'\n`, { mode: 0o755 });
  const args = [...SIM, '--set', 'profile=evplus', '--set', 'firmware.installer=command',
    '--set', `firmware.install_command=${script}`];
  const { d, base, ca } = await startWeb(t, args);
  const varDir = path.join(t.dir, 'var');
  const inst = new Client(base, ca);
  await inst.firstLogin('installer', DEFAULT_PW.evplus, 'Install-pass-1');
  const builtIn = (await d.status()).firmware.version;
  assert.equal((await d.status()).firmware.installer, 'command');

  // The program fails: 202, then E01 UP; nothing installed.
  const img = fwImage('5.4.3-cmd');
  fs.writeFileSync(fail, '');
  let r = await upload(inst, img, md5(img));
  expectStatus(r, 202, null, 'verified, installing');
  assert.deepEqual(r.json.data, { code: null, state: 'installing', version: '5.4.3-cmd' });
  assert.equal((await d.status()).firmware.upload, 'installing');
  // Meanwhile another upload is refused.
  expectStatus(await upload(inst, img, md5(img)), 409, /an uploaded firmware is being installed/, 'second upload');
  let fw = await code(d);
  assert.deepEqual([fw.display_code, fw.upload, fw.version], ['E01 UP', 'idle', builtIn]);
  assert.equal(fw.last_upload.code, 'E01 UP');
  assert.ok(!fs.existsSync(log), 'the program installed nothing');

  // The program succeeds: 100 UP, the restart, the new version.
  fs.rmSync(fail);
  r = await upload(inst, img, md5(img));
  expectStatus(r, 202, null, 'verified, installing');
  let back = false;
  for (let i = 0; i < 100 && !back; i++) {
    await sleep(100);
    const me = await inst.get('/api/me').catch(() => null);
    back = me !== null && me.status === 200 && me.json.data === null;
  }
  assert.ok(back, 'evsed restarted after 100 UP');
  fw = (await d.status()).firmware;
  assert.equal(fw.version, '5.4.3-cmd', 'the new version after the restart');
  assert.deepEqual([fw.last_upload.code, fw.last_upload.version], ['100 UP', '5.4.3-cmd']);
  assert.equal(fs.readFileSync(log, 'utf8'), `firmware.payload ${64 * 1024} 5.4.3-cmd\n`, 'the program got the payload and the version');
  for (const f of ['firmware.upload', 'firmware.upload.img'])
    assert.ok(!fs.existsSync(path.join(varDir, f)), `no ${f} left`);
  await d.stop();
  assert.match(d.stderr, /web: installer uploaded firmware \(\d+ bytes\): version 5.4.3-cmd verified; installing with the command installer/);
  assert.match(d.stderr, /web: installer uploaded firmware \(\d+ bytes\): E01 UP/);
  assert.match(d.stderr, /web: installer uploaded firmware \(\d+ bytes\): 100 UP, version 5.4.3-cmd; restarting/);
});
