// SPDX-License-Identifier: MIT
// The web UI in Chromium (G1 G3 G5): the first login with the default
// password leads to the forced password change; then every page loads
// without a console error at phone and laptop sizes (screenshots of each in
// the build's test output, web-screenshots/); every dictionary has every
// word; the language selector translates the menu; the whole UI is under
// 150 kB; a `user` sees only the connectors, transactions and information
// and cannot open the installer's pages.
import https from 'node:https';
import zlib from 'node:zlib';
import { assert, run, SIM, Client, startWeb, DEFAULT_PW } from './lib.mjs';
import { launch, openPage, uiLogin, shot, noErrors } from './browser.mjs';

const PAGES = ['connectors', 'transactions', 'info', 'csms', 'installer', 'smart', 'balancing',
  'ocpp', 'cards', 'logs', 'advanced', 'users', 'maintenance', 'password'];

run('web_ui_pages', async (t) => {
  const { base, ca } = await startWeb(t, SIM);
  const browser = await launch();
  try {
    // First login: the default password only leads to the password form.
    let page = await openPage(browser, base, 'phone');
    await page.goto(`${base}/`);
    await shot(page, 'login-phone');
    await page.locator('#user').fill('installer');
    await page.locator('#password').fill(DEFAULT_PW.io7);
    await page.locator('form.login button[type=submit]').click();
    await page.locator('#new').waitFor();
    assert.ok(await page.locator('#nav').isHidden(), 'no menu before the password change');
    await page.goto(`${base}/#settings`);
    await page.locator('#new').waitFor();
    await shot(page, 'password-forced-phone');
    await page.locator('#current').fill(DEFAULT_PW.io7);
    await page.locator('#new').fill('short');
    await page.locator('form.login button[type=submit]').click();
    await page.locator('#new[aria-invalid=true]').waitFor();
    assert.match(await page.locator('#new-err').textContent(), /new: must be at least 8/);
    await page.locator('#new').fill('Install-pass-1');
    await page.locator('form.login button[type=submit]').click();
    await page.locator('[data-connector="1"]').waitFor();
    page.errors.length = 0; // the refused password's 400 is logged by the browser
    await page.context().close();

    // Every page at both sizes, no console errors.
    for (const size of ['phone', 'laptop']) {
      page = await openPage(browser, base, size);
      await uiLogin(page, 'installer', 'Install-pass-1');
      for (const p of PAGES) {
        await page.goto(`${base}/#${p}`);
        await page.locator('main h1').first().waitFor();
        // Drawn: something besides the title (no networkidle: the
        // connectors page keeps its event stream open).
        await page.locator('main > :nth-child(2), main form').first().waitFor({ state: 'attached' });
        await shot(page, `${p}-${size}`);
      }
      noErrors(page, `installer pages at ${size} size`);
      await page.context().close();
    }

    // Languages: every dictionary has every key; the selector translates.
    page = await openPage(browser, base, 'laptop');
    await uiLogin(page, 'installer', 'Install-pass-1');
    const keys = await page.evaluate(() => Object.fromEntries(Object.entries(I18N).map(([l, d]) => [l, Object.keys(d).sort()])));
    assert.deepEqual(Object.keys(keys).sort(), ['de', 'en', 'es', 'fr', 'it']);
    for (const l of ['it', 'de', 'es', 'fr']) assert.deepEqual(keys[l], keys.en, `dictionary ${l}`);
    const words = { it: 'Connettori', de: 'Anschlüsse', es: 'Conectores', fr: 'Connecteurs', en: 'Connectors' };
    for (const [l, w] of Object.entries(words)) {
      await page.locator('#lang').selectOption(l);
      await page.locator('#navlist a', { hasText: w }).first().waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), l);
      if (l === 'it') {
        await page.goto(`${base}/#connectors`);
        await page.locator('[data-connector="1"] [data-state=Available]', { hasText: 'Disponibile' }).waitFor();
      }
      if (l === 'de') { await page.goto(`${base}/#installer`); await page.locator('main h1', { hasText: 'Installateur' }).waitFor(); await shot(page, 'installer-laptop-de'); }
    }
    noErrors(page, 'languages');
    await page.context().close();

    // The whole UI is small as a browser gets it (gzip); a client that does
    // not take gzip gets the same files uncompressed.
    const c = new Client(base, ca);
    let total = 0, plain = 0;
    for (const f of ['/', '/app.js', '/app.css', '/i18n.js']) {
      const raw = await c.get(f);
      assert.equal(raw.headers['content-encoding'], undefined, `${f}: no gzip unasked`);
      const z = await new Promise((resolve, reject) => {
        https.get(`${base}${f}`, { ca, agent: false, headers: { 'accept-encoding': 'gzip, deflate, br' } }, (res) => {
          const parts = [];
          res.on('data', (d) => parts.push(d));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(parts) }));
        }).on('error', reject);
      });
      assert.equal(z.headers['content-encoding'], 'gzip', `${f}: gzip when accepted`);
      assert.equal(z.headers.vary, 'accept-encoding');
      assert.equal(zlib.gunzipSync(z.body).toString('utf8'), raw.text, `${f}: the same file`);
      total += z.body.length;
      plain += Buffer.byteLength(raw.text);
    }
    assert.ok(total < 150 * 1024, `the UI weighs ${total} bytes (gzip; ${plain} uncompressed)`);

    // A driver (role user) sees only status, history and information.
    const inst = new Client(base, ca);
    await inst.login('installer', 'Install-pass-1');
    await inst.post('/api/users/reset', { user: 'user', password: 'Temp-user-1' });
    page = await openPage(browser, base, 'phone');
    await uiLogin(page, 'user', 'Temp-user-1', 'Driver-pass-1');
    const links = await page.locator('#navlist a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, ['#connectors', '#transactions', '#info', '#password']);
    for (const p of ['installer', 'users', 'maintenance', 'ocpp', 'cards']) {
      await page.goto(`${base}/#${p}`);
      await page.locator('[data-connector="1"]').waitFor();
      assert.equal(await page.locator('main h1').textContent(), 'Connectors', `user opening #${p}`);
    }
    await shot(page, 'connectors-phone-user');
    noErrors(page, 'user pages');
    const direct = await page.evaluate(async () => (await fetch('/api/settings')).status);
    assert.equal(direct, 403, 'the API refuses the user the settings');
  } finally {
    await browser.close();
  }
});
