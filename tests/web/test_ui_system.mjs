// SPDX-License-Identifier: MIT
// The web UI in Chromium, the fault report and the system pages (G3 G7):
// the logs page's fault report button downloads what /api/faults.csv says,
// with the faults a simulated fault raised; the system time page shows the
// clock and its source, and the time zone round-trips through its form; the
// network page lists the interfaces and says it configures nothing (H1); the
// LED page shows the legend from the core, identify flashes the LEDs, and a
// dimming setting round-trips and dims them; each page loads without a
// console error at phone and laptop sizes (screenshots in web-screenshots/).
import os from 'node:os';
import { assert, run, SIM, startWeb, DEFAULT_PW } from './lib.mjs';
import { launch, openPage, uiLogin, shot, noErrors } from './browser.mjs';

run('web_ui_system', async (t) => {
  const { d, base } = await startWeb(t, SIM);
  const browser = await launch();
  try {
    await d.ok('fault', 'overcurrent', 'on');
    await d.advance(10);
    await d.ok('fault', 'overcurrent', 'off');
    await d.advance(60);
    await d.ok('fault', 'rcd', 'on');
    await d.advance(1);

    let page = await openPage(browser, base, 'laptop');
    await uiLogin(page, 'installer', DEFAULT_PW.io7, 'Install-pass-1');

    // The fault report: the button downloads the CSV of the fault history.
    await page.goto(`${base}/#logs`);
    const btn = page.locator('[data-action=faults-csv]');
    await btn.waitFor();
    assert.equal(await page.locator('[data-list=faults] li').count(), 2);
    await btn.focus();
    const [dl] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    assert.equal(dl.suggestedFilename(), 'evsed-faults.csv');
    const csv = await (await dl.createReadStream()).toArray().then((b) => Buffer.concat(b).toString('utf8'));
    const faults = await d.json('faults');
    const lines = csv.trim().split('\n');
    assert.equal(lines.length, faults.length + 1, csv);
    assert.equal(lines[0], '"number","start","end","connector","fault","text"');
    const rcd = faults[0];
    assert.equal(rcd.fault, 'rcd');
    assert.equal(lines[1], [rcd.number, rcd.start, '', rcd.connector, 'rcd', rcd.text].map((x) => `"${x}"`).join(','));
    const oc = faults[1];
    assert.equal(lines[2], [oc.number, oc.start, oc.end, oc.connector, 'overcurrent', 'over-current'].map((x) => `"${x}"`).join(','));
    noErrors(page, 'logs page');
    await page.context().close();

    // System time: the clock and where it came from; the zone round-trips
    // through the form (the settings registry).
    page = await openPage(browser, base, 'phone');
    await uiLogin(page, 'installer', 'Install-pass-1');
    await page.goto(`${base}/#time`);
    await page.locator('main h1', { hasText: 'System time' }).waitFor();
    await page.locator('[data-field=utc]', { hasText: '2026-01-01T00:01:11Z' }).waitFor();
    assert.equal(await page.locator('[data-field=local]').textContent(), '2026-01-01T00:01:11+00:00 Europe/London');
    assert.equal(await page.locator('[data-field=source]').textContent(), 'the simulated start time, at start');
    assert.equal(await page.locator('[data-field=csms]').textContent(), 'no: no CSMS configured (ocpp.url empty)');
    const tz = page.locator('[data-key="time.zone"]');
    await tz.fill('Europe/Berlin');
    await tz.press('Enter');
    await page.locator('main .msg.ok').waitFor();
    assert.equal((await d.config('time.zone')).value, 'Europe/Berlin');
    await d.advance(60);
    await page.locator('[data-field=local]', { hasText: '2026-01-01T01:02:11+01:00 Europe/Berlin' }).waitFor({ timeout: 5000 });
    noErrors(page, 'system time page');
    await page.context().close();

    // Network: the interfaces, the host name, the CSMS; says it configures
    // nothing (H1).
    page = await openPage(browser, base, 'laptop');
    await uiLogin(page, 'installer', 'Install-pass-1');
    await page.goto(`${base}/#network`);
    const lo = page.locator('[data-table=interfaces] tr', { hasText: '(loopback)' });
    await lo.waitFor();
    assert.match(await lo.textContent(), /up.*127\.0\.0\.1\/8/);
    assert.equal(await page.locator('[data-field=hostname]').textContent(), os.hostname());
    assert.match(await page.locator('[data-field=h1]').textContent(), /not built yet \(feature H1\)/);
    assert.equal(await page.locator('[data-field=connection]').textContent(), 'not connected');
    assert.equal(await page.locator('main form').count(), 0, 'nothing to configure');
    assert.doesNotMatch(await page.locator('main').textContent(), /null|undefined/);
    noErrors(page, 'network page');
    await page.context().close();

    // LED: the legend from the core, identify, a dimming setting round-trips.
    await d.ok('fault', 'rcd', 'off');
    await d.ok('fault', 'reset', '1');
    page = await openPage(browser, base, 'phone');
    await uiLogin(page, 'installer', 'Install-pass-1');
    await page.goto(`${base}/#led`);
    await page.locator('[data-table=legend] tr[data-pattern=blue-pulsing]', { hasText: 'Charging' }).waitFor();
    assert.match(await page.locator('[data-table=legend] tr[data-pattern=white-flashing]').textContent(), /identify/);
    await page.locator('[data-led-connector="2"] [data-field=led]', { hasText: 'green' }).waitFor();
    await page.locator('[data-action=identify]').click();
    await page.locator('[data-led-connector="2"] [data-field=led]', { hasText: 'white-flashing' }).waitFor({ timeout: 5000 });
    await shot(page, 'led-identify-phone');
    const dim = page.locator('[data-key="led.dim_after"]');
    await dim.fill('30');
    await page.locator('main form button[type=submit]').click();
    await page.locator('main form .msg.ok').waitFor();
    assert.equal((await d.config('led.dim_after')).value, '30');
    await d.advance(40);
    await page.locator('[data-led-connector="2"] [data-field=brightness]', { hasText: '10 % (dimmed)' }).waitFor({ timeout: 5000 });
    noErrors(page, 'LED page');
    await page.context().close();

    for (const size of ['phone', 'laptop']) {
      page = await openPage(browser, base, size);
      await uiLogin(page, 'installer', 'Install-pass-1');
      for (const p of ['logs', 'time', 'network', 'led']) {
        await page.goto(`${base}/#${p}`);
        await page.locator('main h1').first().waitFor();
        await page.locator('main > :nth-child(2)').first().waitFor({ state: 'attached' });
        await shot(page, `${p}-${size}`);
      }
      noErrors(page, `pages at ${size} size`);
      await page.context().close();
    }
  } finally {
    await browser.close();
  }
});
