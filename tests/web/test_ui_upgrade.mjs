// SPDX-License-Identifier: MIT
// The firmware upgrade page in Chromium (G4): the installed version and the
// last update; a file with a wrong checksum shows E02 UP and its meaning,
// and the code is "on the display" (the connectors and information pages);
// a good image shows the progress bar full, 100 UP and the new version, and
// after the restart the page shows that version and the last upload.
// Screenshots at phone and laptop size (web-screenshots/upgrade-*.png).
import crypto from 'node:crypto';
import { assert, run, SIM, DEFAULT_PW } from './lib.mjs';
import { startWeb } from './lib.mjs';
import { launch, openPage, uiLogin, shot, noErrors } from './browser.mjs';

function fwImage(version, payload = crypto.randomBytes(1024 * 1024)) {
  const h = Buffer.alloc(112);
  h.write('EVSEDFW1', 0, 'latin1');
  h.write(version, 8, 'latin1');
  h.writeBigUInt64BE(BigInt(payload.length), 72);
  crypto.createHash('sha256').update(payload).digest().copy(h, 80);
  return Buffer.concat([h, payload]);
}
const md5 = (b) => crypto.createHash('md5').update(b).digest('hex');

/** The browser logs a refused request (4xx), and the requests made while
 * evsed restarts, as console errors: those are expected here; anything else
 * is not. */
function dropRefusals(page) {
  const left = page.errors.filter((e) => !/status of 4\d\d|net::ERR_CONNECTION_(REFUSED|RESET|CLOSED)/.test(e));
  page.errors.length = 0;
  page.errors.push(...left);
}

run('web_ui_upgrade', async (t) => {
  const { d, base } = await startWeb(t, [...SIM, '--set', 'profile=evplus']);
  const builtIn = (await d.status()).firmware.version;
  const browser = await launch();
  try {
    let page = await openPage(browser, base, 'phone');
    await uiLogin(page, 'installer', DEFAULT_PW.evplus, 'Install-pass-1');
    await page.goto(`${base}/#upgrade`);
    await page.locator('main h1', { hasText: 'Firmware upgrade' }).waitFor();
    assert.equal(await page.locator('[data-field=fw-version]').textContent(), builtIn);
    assert.equal(await page.locator('[data-field=fw-last]').textContent(), 'none yet');
    assert.equal(await page.locator('[data-field=fw-ocpp]').textContent(), 'no CSMS');
    await shot(page, 'upgrade-phone');

    // No file: the field says so.
    await page.locator('main form button[type=submit]').click();
    await page.locator('#fwfile[aria-invalid=true]').waitFor();
    assert.equal(await page.locator('#fwfile-err').textContent(), 'Choose the firmware file');
    // A malformed checksum: the field is named.
    const img = fwImage('7.7.7-ui');
    await page.locator('#fwfile').setInputFiles({ name: 'evsed-7.7.7.img', mimeType: 'application/octet-stream', buffer: img });
    await page.locator('#checksum').fill('12345');
    await page.locator('main form button[type=submit]').click();
    await page.locator('#checksum[aria-invalid=true]').waitFor();
    assert.match(await page.locator('#checksum-err').textContent(), /32 \(MD5\) or 64 \(SHA-256\)/);
    // A checksum that is not the file's: E02 UP and its meaning.
    await page.locator('#checksum').fill(md5(Buffer.from('another file')));
    await page.locator('main form button[type=submit]').click();
    const res = page.locator('[data-field=fw-result]');
    await res.waitFor();
    assert.match(await res.textContent(), /^E02 UP Checksum error: the checksum does not match the file/);
    await shot(page, 'upgrade-e02-phone');
    // On the display: the connectors and information pages show it.
    await page.goto(`${base}/#connectors`);
    await page.locator('[data-field=display-code]', { hasText: 'E02 UP' }).waitFor();
    await shot(page, 'connectors-e02-phone');
    await page.goto(`${base}/#info`);
    await page.locator('[data-field=display-code]', { hasText: 'E02 UP' }).waitFor();
    // In Italian, the meaning too.
    await page.locator('#lang').selectOption('it');
    await page.locator('[data-field=display-code]', { hasText: 'Errore di checksum' }).waitFor();
    await page.locator('#lang').selectOption('en');
    assert.equal((await d.status()).firmware.version, builtIn, 'nothing installed');
    dropRefusals(page);
    noErrors(page, 'upgrade page, refused uploads');
    await page.context().close();

    // At laptop size, the good image: the bar fills, 100 UP, the restart.
    page = await openPage(browser, base, 'laptop');
    await uiLogin(page, 'installer', 'Install-pass-1');
    await page.goto(`${base}/#upgrade`);
    assert.match(await page.locator('[data-field=fw-last]').textContent(), /^E02 UP Checksum error.*installer$/);
    await page.locator('#fwfile').setInputFiles({ name: 'evsed-7.7.7.img', mimeType: 'application/octet-stream', buffer: img });
    await page.locator('#checksum').fill(md5(img).toUpperCase());
    await page.locator('main form button[type=submit]').click();
    const res2 = page.locator('[data-field=fw-result]');
    await res2.waitFor();
    assert.match(await res2.textContent(), /^100 UP Upgrade successful: the charger restartsThe charger restarts with version 7\.7\.7-ui/);
    assert.equal(await page.locator('#fwprog').evaluate((p) => p.value), 100, 'the progress bar is full');
    await shot(page, 'upgrade-100-laptop');
    // After the restart: log in again, the new version, the last upload.
    let back = false;
    for (let i = 0; i < 100 && !back; i++) {
      await new Promise((r) => setTimeout(r, 100));
      back = await page.evaluate(async () => {
        try { const r = await fetch('/api/me'); return r.ok && (await r.json()).data === null; } catch { return false; }
      });
    }
    assert.ok(back, 'evsed restarted');
    await uiLogin(page, 'installer', 'Install-pass-1');
    await page.goto(`${base}/#upgrade`);
    await page.locator('[data-field=fw-version]', { hasText: '7.7.7-ui' }).waitFor();
    assert.match(await page.locator('[data-field=fw-last]').textContent(), /^100 UP Upgrade successful.*\(7\.7\.7-ui\)/);
    await page.goto(`${base}/#info`);
    await page.locator('dd', { hasText: '7.7.7-ui' }).waitFor();
    assert.equal(await page.locator('[data-field=display-code]').count(), 0, 'no code on the display after the restart');
    await shot(page, 'upgrade-info-laptop');
    dropRefusals(page);
    noErrors(page, 'upgrade page, good image');
    await page.context().close();
  } finally {
    await browser.close();
  }
});
