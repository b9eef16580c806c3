// SPDX-License-Identifier: MIT
// REST API, firmware upgrade by upload (G4): POST /api/firmware?checksum=
// with the file as the body. The EVPLUS result codes: a wrong checksum is
// E02 UP, a file that is not an evsed image E04 UP, a stalled upload E03 UP,
// and nothing is installed; a good image is 100 UP, the charger restarts and
// reports the new version. Too big: 413 before the body. Refused (409) while
// a session runs. Installer only, with the CSRF token. No temporary file is
// left on any path; every upload is in the log; the code is in the status
// (firmware.display_code) until the next update or restart.
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import {
  assert, run, SIM, Client, startWeb, expectStatus, DEFAULT_PW,
} from './lib.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const MAX = 64 * 1024 * 1024;

/** An evsed firmware image (docs/firmware.md): magic, version, payload
 * length, SHA-256 of the payload, payload. */
function fwImage(version, payload = crypto.randomBytes(200 * 1024)) {
  const h = Buffer.alloc(112);
  h.write('EVSEDFW1', 0, 'latin1');
  h.write(version, 8, 'latin1');
  h.writeBigUInt64BE(BigInt(payload.length), 72);
  crypto.createHash('sha256').update(payload).digest().copy(h, 80);
  return Buffer.concat([h, payload]);
}
const md5 = (b) => crypto.createHash('md5').update(b).digest('hex');
const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');

/** POST the file as the body, in 64 kB pieces. length: the Content-Length
 * announced (default the file's; when it is not the file's, nothing is
 * sent: the headers only); half: stop sending after half of it and wait for
 * the answer. Resolves {status, json, text}. */
function upload(c, file, checksum, { csrf = true, length, half = false } = {}) {
  const q = checksum === undefined ? '' : `?checksum=${encodeURIComponent(checksum)}`;
  const headers = {
    'content-type': 'application/octet-stream',
    'content-length': length ?? file.length,
  };
  if (c.cookie) headers.cookie = c.cookie;
  if (csrf && c.csrf) headers['x-csrf-token'] = c.csrf;
  return new Promise((resolve, reject) => {
    let answered = false;
    const r = https.request(`${c.base}/api/firmware${q}`, { method: 'POST', headers, ca: c.ca, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => { text += d; });
        res.on('end', () => {
          answered = true;
          let json = null;
          try { json = JSON.parse(text); } catch { /* not JSON */ }
          resolve({ status: res.statusCode, text, json });
        });
      });
    // A connection closed without an answer fails the upload (after a
    // moment: the answer may still be on its way).
    r.on('error', (e) => { setTimeout(() => { if (!answered) reject(e); }, 500); });
    r.flushHeaders();
    r.setTimeout(40000, () => r.destroy(new Error('upload: no answer in 40 s')));
    if (length !== undefined && length !== file.length) return; // headers only
    const end = half ? Math.floor(file.length / 2) : file.length;
    let off = 0;
    const pump = () => {
      while (off < end) {
        const piece = file.subarray(off, Math.min(end, off + 65536));
        off += piece.length;
        if (!r.write(piece)) { r.once('drain', pump); return; }
      }
      if (!half) r.end();
    };
    pump();
  });
}

run('web_api_firmware', async (t) => {
  const args = [...SIM, '--set', 'profile=evplus', '--set', 'auth.required=false'];
  const { d, base, ca } = await startWeb(t, args);
  const tmpFile = path.join(t.dir, 'var', 'firmware.upload');
  const noTemp = (what) => assert.ok(!fs.existsSync(tmpFile), `${what}: no temporary file left`);
  const inst = new Client(base, ca);
  await inst.firstLogin('installer', DEFAULT_PW.evplus, 'Install-pass-1');

  // Before any upload: the built-in version, nothing on the display.
  let fw = (await d.status()).firmware;
  assert.match(fw.version, /^\d+\.\d+\.\d+$/);
  const builtIn = fw.version;
  assert.deepEqual([fw.installer, fw.display_code, fw.display_text, fw.upload, fw.last_upload, fw.ocpp],
    ['sim', null, null, 'idle', null, null]);
  assert.equal((await inst.get('/api/info')).json.data.firmware, builtIn);

  const img = fwImage('9.8.7-upload');

  // Other roles, no CSRF token, no session: refused before the body.
  for (const name of ['maintain', 'user']) {
    await inst.post('/api/users/reset', { user: name, password: `Temp-${name}-1` });
    const c = new Client(base, ca);
    await c.firstLogin(name, `Temp-${name}-1`, `Own-${name}-pass-1`);
    expectStatus(await upload(c, img, md5(img)), 403, new RegExp(`the ${name} role may not`), `${name} uploads`);
  }
  expectStatus(await upload(inst, img, md5(img), { csrf: false }), 403, /CSRF/, 'no CSRF token');
  expectStatus(await upload(new Client(base, ca), img, md5(img)), 401, /not logged in/, 'anonymous');
  noTemp('refused uploads');

  // The checksum: required, and hexadecimal MD5 / SHA-256 (E02 otherwise).
  let r = await upload(inst, img);
  expectStatus(r, 400, /checksum: required/, 'no checksum');
  assert.equal(r.json.field, 'checksum');
  r = await upload(inst, img, 'not-a-checksum');
  expectStatus(r, 400, /32 \(MD5\) or 64 \(SHA-256\) hexadecimal digits/, 'malformed checksum');
  assert.deepEqual([r.json.field, r.json.code], ['checksum', 'E02 UP']);

  // A checksum that is not the file's: E02 UP, nothing installed.
  const wrong = md5(Buffer.concat([img, Buffer.from('x')]));
  r = await upload(inst, img, wrong);
  expectStatus(r, 422, /^E02 UP: Checksum error/, 'wrong MD5');
  assert.equal(r.json.code, 'E02 UP');
  assert.match(r.json.detail, /MD5 differs/);
  fw = (await d.status()).firmware;
  assert.deepEqual([fw.version, fw.display_code], [builtIn, 'E02 UP']);
  assert.match(fw.display_text, /checksum does not match/);
  assert.equal(fw.last_upload.code, 'E02 UP');
  assert.equal(fw.last_upload.version, null);
  assert.equal(fw.last_upload.bytes, img.length);
  assert.equal(fw.last_upload.by, 'installer');
  noTemp('E02');

  // The right checksum of a file that is not an evsed image: E04 UP.
  const junk = crypto.randomBytes(50000);
  expectStatus(await upload(inst, junk, md5(junk)), 422, /^E04 UP: File mismatch/, 'not an image');
  // A damaged image with the SHA-256 of what was sent: E04 UP too.
  const bad = Buffer.from(img);
  bad[bad.length - 1] ^= 0xff;
  r = await upload(inst, bad, sha256(bad).toUpperCase());
  expectStatus(r, 422, /^E04 UP/, 'damaged image, SHA-256 checksum');
  assert.equal((await d.status()).firmware.display_code, 'E04 UP');
  assert.equal((await d.status()).firmware.version, builtIn, 'nothing installed');
  noTemp('E04');

  // Too big: 413 from the Content-Length, before the body; no file.
  r = await upload(inst, img, md5(img), { length: MAX + 1 });
  expectStatus(r, 413, /upload too large \(limit 67108864 bytes\)/, 'too big');
  noTemp('413');

  // During a charging session: 409, saying why.
  await d.ok('plug', '1');
  await d.ok('ev', '1', 'charge');
  assert.ok((await d.conn(1)).transaction_id !== null, 'a session runs');
  r = await upload(inst, img, md5(img));
  expectStatus(r, 409, /a charging session is running/, 'during a session');
  noTemp('409');
  await d.ok('unplug', '1');

  // A stalled upload: after 15 s without data, E03 UP. Meanwhile another
  // upload is refused (one at a time).
  const t0 = Date.now();
  const stalled = upload(inst, img, md5(img), { half: true });
  await sleep(1000);
  expectStatus(await upload(inst, img, md5(img)), 409, /another upload is in progress/, 'second upload');
  r = await stalled;
  expectStatus(r, 408, /^E03 UP: Upgrade timeout/, 'stalled upload');
  assert.ok(Date.now() - t0 >= 14000, `E03 after 15 s (${Date.now() - t0} ms)`);
  assert.equal((await d.status()).firmware.display_code, 'E03 UP');
  noTemp('E03');

  // The good image: 100 UP, the restart, the new version.
  r = await upload(inst, img, md5(img));
  expectStatus(r, 200, null, 'good image');
  assert.deepEqual(r.json.data, { code: '100 UP', text: 'Upgrade successful: the charger restarts', version: '9.8.7-upload' });
  noTemp('100 UP');
  let back = false;
  for (let i = 0; i < 150 && !back; i++) {
    await sleep(100);
    const me = await inst.get('/api/me').catch(() => null);
    back = me !== null && me.status === 200 && me.json.data === null;
  }
  assert.ok(back, 'evsed restarted (the session is gone)');
  fw = (await d.status()).firmware;
  assert.equal(fw.version, '9.8.7-upload', 'the new version after the restart');
  assert.equal(fw.display_code, null, 'the display code goes with the restart');
  assert.deepEqual([fw.last_upload.code, fw.last_upload.version], ['100 UP', '9.8.7-upload']);
  await inst.login('installer', 'Install-pass-1');
  assert.equal((await inst.get('/api/info')).json.data.firmware, '9.8.7-upload');

  // Every upload is audited; the checksum and the file are not secrets,
  // but no password is logged.
  await d.stop();
  assert.match(d.stderr, /web: installer uploaded firmware \(\d+ bytes\): E02 UP \(Checksum error[^)]*\): checksum: the file's MD5 differs/);
  assert.match(d.stderr, /web: installer uploaded firmware \(\d+ bytes\): E04 UP/);
  assert.match(d.stderr, /web: installer firmware upload refused: a charging session is running/);
  assert.match(d.stderr, /web: installer uploaded firmware \(\d+ bytes\): E03 UP/);
  assert.match(d.stderr, /web: installer uploaded firmware \(\d+ bytes\): 100 UP, version 9.8.7-upload; restarting/);
  assert.ok(!d.stderr.includes('Install-pass-1'), 'no password in the log');
  noTemp('the end');
});
