// SPDX-License-Identifier: MIT
// The web UI in Chromium, what an installer does (G3 G7): a settings change
// round-trips and survives a restart; an invalid value is refused with the
// field named and nothing saved; a charging session started with evsectl
// shows on the connectors page within 2 s; the CSV export matches the
// history; a change without the CSRF token is refused.
import { assert, run, SIM, startWeb, DEFAULT_PW } from './lib.mjs';
import { launch, openPage, uiLogin, noErrors } from './browser.mjs';

run('web_ui_flows', async (t) => {
  const args = [...SIM, '--set', 'auth.required=false'];
  let { d, port, base } = await startWeb(t, args);
  let browser = await launch();
  try {
    let page = await openPage(browser, base, 'laptop');
    await uiLogin(page, 'installer', DEFAULT_PW.io7, 'Install-pass-1');

    // A live session within 2 s.
    await page.locator('[data-connector="1"] [data-state=Available]').waitFor();
    await d.ok('plug', '1');
    await d.ok('ev', '1', 'charge');
    const t0 = Date.now();
    await page.locator('[data-connector="1"] [data-state=Charging]').waitFor({ timeout: 5000 });
    const shown = Date.now() - t0;
    assert.ok(shown < 2000, `the session showed after ${shown} ms`);
    assert.match(await page.locator('[data-connector="1"] [data-field=offered]').textContent(), /^\d+\.\d A \(/);
    await d.advance(900);
    await page.locator('[data-connector="1"] [data-field=session]', { hasText: /[1-9]/ }).waitFor({ timeout: 5000 });
    await d.ok('unplug', '1');
    await page.locator('[data-connector="1"] [data-state=Available]').waitFor({ timeout: 5000 });

    // CSV export = the history.
    await page.goto(`${base}/#transactions`);
    await page.locator('table tbody tr').first().waitFor();
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('a[download]').click()]);
    const csv = await (await dl.createReadStream()).toArray().then((b) => Buffer.concat(b).toString('utf8'));
    const hist = await d.history();
    const lines = csv.trim().split('\n');
    assert.equal(lines.length, hist.length + 1, csv);
    const h = hist[0];
    assert.equal(lines[1], [h.number, h.connector, h.start, h.end, h.start_mode, h.stop_mode,
      h.energy_wh.toFixed(3), h.id_tag, h.stop_reason].map((x) => `"${x}"`).join(','));
    const cells = await page.locator('table tbody tr').first().locator('td').allTextContents();
    assert.deepEqual(cells.slice(0, 3), [String(h.number), String(h.connector), h.start]);

    noErrors(page, 'connectors and transactions');

    // An invalid value: the field is named and marked, nothing is saved.
    await page.goto(`${base}/#installer`);
    const lim = page.locator('[data-key="charger.current_limit"]');
    const tz = page.locator('[data-key="time.zone"]');
    await lim.waitFor();
    await tz.fill('Europe/Rome');
    await lim.fill('99');
    await page.locator('main form button[type=submit]').click();
    await page.locator('[data-key="charger.current_limit"][aria-invalid=true]').waitFor();
    const err = await page.locator('#s-charger_current_limit-err').textContent();
    assert.match(err, /^charger.current_limit: /);
    assert.equal((await d.config('time.zone')).value, 'Europe/London', 'nothing saved');
    assert.equal((await d.config('charger.current_limit')).value, '32');

    // A valid change round-trips.
    await lim.fill('20');
    await page.locator('main form button[type=submit]').click();
    await page.locator('main .msg.ok').waitFor();
    assert.equal((await d.config('charger.current_limit')).value, '20');
    assert.equal((await d.config('time.zone')).value, 'Europe/Rome');
    await page.reload();
    await lim.waitFor();
    assert.equal(await lim.inputValue(), '20');

    // Without the CSRF token the browser's own request is refused.
    const res = await page.evaluate(async () => {
      const r = await fetch('/api/settings', { method: 'PATCH', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ values: { 'charger.current_limit': 10 } }) });
      return [r.status, (await r.json()).error];
    });
    assert.deepEqual(res, [403, 'missing or wrong CSRF token (X-CSRF-Token)']);
    assert.equal((await d.config('charger.current_limit')).value, '20');
    page.errors.length = 0; // the deliberate 403 and 400 above
    await page.context().close();

    // The change survives a restart.
    await browser.close();
    await d.stop();
    ({ d, base } = await startWeb(t, args, { port }));
    browser = await launch();
    page = await openPage(browser, base, 'phone');
    await uiLogin(page, 'installer', 'Install-pass-1');
    await page.goto(`${base}/#installer`);
    await page.locator('[data-key="charger.current_limit"]').waitFor();
    assert.equal(await page.locator('[data-key="charger.current_limit"]').inputValue(), '20');
    assert.equal(await page.locator('[data-key="time.zone"]').inputValue(), 'Europe/Rome');
    noErrors(page, 'after the restart');
  } finally {
    await browser.close();
  }
});
