// SPDX-License-Identifier: MIT
// The load balancing and smart charging pages in Chromium (G3 E4 E5 C8):
//  - two real evsed in one group on loopback (group.peers), the web UI on the
//    first: the load balancing page shows the site (lm mode, limits) and the
//    group table with both members, the master marker, each connector's
//    phases and the offer the master made; Identify all answers; the table
//    follows a change (the EV leaves) by its 2 s poll;
//  - an evsed alone (group.mode off) with a Modbus TCP site meter (the
//    simulated SDM630): the site status shows the mode, the meter's model,
//    its reading per phase and its counters, live; the group says it is off;
//  - an evsed connected to a CSMS (tests/ocpp's, ocpp-rpc strict): the smart
//    charging page lists the profile the CSMS installed and the installer's
//    "Clear all charging profiles" clears it (evsed's status agrees).
// Screenshots of both pages at phone and laptop sizes (web-screenshots/).
import fs from 'node:fs';
import path from 'node:path';
import {
  assert, run, SIM, Client, freePort, startWeb, DEFAULT_PW,
} from './lib.mjs';
import { launch, openPage, uiLogin, shot, noErrors } from './browser.mjs';
import { startGroup, waitFor, ev } from '../integration/group.mjs';
import { Csms } from '../ocpp/lib/csms.mjs';
import { profile, setProfile } from '../ocpp/lib/smart.mjs';
import { MeterSim } from '../integration/meter_sim.mjs';

run('web_ui_balancing', async (t) => {
  const browser = await launch();
  let csms = null;
  try {
    // ---- load balancing: a group of two ------------------------------------
    const port = await freePort();
    const [a, b] = await startGroup(t, [
      { serial: 'UG-A', port: 17821, args: ['--set', `web.listen=127.0.0.1:${port}`] },
      { serial: 'UG-B', port: 17822 },
    ], ['--set', 'group.limit=20']);
    const base = `https://127.0.0.1:${port}`;
    const ca = fs.readFileSync(path.join(t.dir, 'UG-A', 'var', 'web-cert.pem'));
    await new Client(base, ca).firstLogin('installer', DEFAULT_PW.io7, 'Install-pass-1');
    await ev(b);
    await waitFor('B offered 20 A', async () => {
      const c = await b.conn(1);
      return [c.offered_a === 20, c];
    });

    for (const size of ['phone', 'laptop']) {
      const page = await openPage(browser, base, size);
      await uiLogin(page, 'installer', 'Install-pass-1');
      await page.goto(`${base}/#balancing`);
      const table = page.locator('table[data-table=group]');
      await table.waitFor();
      // Both members; the master marked; B's connector offered 20 A on 3 phases.
      const rowA = table.locator('tr[data-member="UG-A"]');
      const rowB = table.locator('tr[data-member="UG-B"]');
      await rowB.first().waitFor();
      assert.equal(await rowA.count(), 2, 'A: one row per connector');
      assert.match(await rowA.first().locator('th').textContent(), /^UG-A \(master\) - this charger$/);
      assert.match(await rowB.first().locator('th').textContent(), /^UG-B$/);
      assert.match(await rowB.first().textContent(), /online/);
      assert.match(await rowB.first().textContent(), /L1, L2, L3/);
      assert.equal(await rowB.first().locator('[data-field=offered]').textContent(), '20.0 A');
      assert.equal(await rowA.first().locator('[data-field=offered]').textContent(), '0.0 A');
      assert.equal(await table.locator('thead th').count(), 7, 'column headers');
      assert.match(await page.locator('[data-field=group-summary]').textContent(), /Group site-a: limit 20\.0 A/);
      assert.equal(await page.locator('[data-field=lm_mode]').textContent(), 'off');
      assert.doesNotMatch(await page.locator('main section').first().textContent(), /null|undefined|NaN/, 'no empty values shown');
      // The settings stay below: lm.*, meter.*, group.*.
      await page.locator('[data-key="group.limit"]').waitFor();
      await page.locator('[data-key="lm.mode"]').waitFor();
      await page.locator('[data-key="meter.site"]').waitFor();
      await shot(page, `balancing-group-${size}`);
      if (size === 'laptop') {
        // Identify all: every member's LEDs flash white.
        await page.locator('button[data-action=identify_all]').click();
        await page.locator('main .msg.ok', { hasText: /every charger of the group's LEDs flash/ }).waitFor();
        await waitFor('B flashes', async () => {
          const led = (await b.conn(1)).led;
          return [led === 'white-flashing', led];
        });
        assert.equal((await a.conn(1)).led, 'white-flashing');
        // The table follows: the EV leaves B, the offer goes to 0 A.
        await b.ok('unplug', '1');
        await page.locator('tr[data-member="UG-B"] [data-field=offered]', { hasText: /^0\.0 A$/ }).first()
          .waitFor({ timeout: 8000 });
      }
      noErrors(page, `balancing page at ${size} size`);
      await page.context().close();
    }
    await a.stop();
    await b.stop();

    // ---- the site: a Modbus meter, no group ---------------------------------
    const sim = await MeterSim.start('sdm630', 'tcp');
    await sim.set(5);
    fs.mkdirSync(path.join(t.dir, 'site'), { recursive: true });
    const site = await startWeb(t, ['--set', 'auth.required=false',
      '--set', `meter.site=modbus-tcp:127.0.0.1:${sim.port}:1:sdm630`, '--set', 'meter.poll_ms=200',
      '--set', 'lm.site_limit=40', '--set', 'lm.mode=dynamic'], { dir: path.join(t.dir, 'site') });
    await new Client(site.base, site.ca).firstLogin('installer', DEFAULT_PW.io7, 'Install-pass-1');
    {
      const page = await openPage(browser, site.base, 'laptop');
      await uiLogin(page, 'installer', 'Install-pass-1');
      await page.goto(`${site.base}/#balancing`);
      await page.locator('[data-field=meter_model]', { hasText: 'sdm630' }).waitFor();
      assert.equal(await page.locator('[data-field=lm_mode]').textContent(), 'dynamic');
      await page.locator('[data-field=site_meter]', { hasText: '5.0 / 5.0 / 5.0 A' }).waitFor();
      assert.match(await page.locator('[data-field=meter_state]').textContent(), /^OK, \d+\.\d s old$/);
      assert.match(await page.locator('[data-field=meter_counts]').textContent(), /^\d+ \/ 0$/);
      assert.equal(await page.locator('[data-field=meter_timeout]').textContent(), 'no');
      // Live: the other loads rise, the page follows (status events).
      await sim.set(12);
      await page.locator('[data-field=site_meter]', { hasText: '12.0 / 12.0 / 12.0 A' }).waitFor({ timeout: 5000 });
      await page.locator('main .msg', { hasText: 'Group balancing is off (group.mode).' }).waitFor();
      assert.equal(await page.locator('table[data-table=group]').count(), 0);
      await shot(page, 'balancing-site-laptop');
      noErrors(page, 'balancing page, site meter');
      await page.context().close();
    }
    await site.d.stop();
    sim.stop();

    // ---- smart charging: a profile from the CSMS, cleared -----------------
    csms = await new Csms().start();
    fs.mkdirSync(path.join(t.dir, 'csms'), { recursive: true });
    const { d, base: base2 } = await startWeb(t, [...SIM, '--set', `ocpp.url=${csms.url}`,
      '--set', 'ocpp.id=CP1', '--set', 'ocpp.call_timeout=600'], { dir: path.join(t.dir, 'csms') });
    await csms.waitFor('BootNotification');
    await csms.waitFor('StatusNotification', (p) => p.connectorId === 2);
    await csms.settle();
    assert.equal(await setProfile(csms, 1, profile({ id: 731, stack: 2, periods: [[0, 10], [3600, 6]] })), 'Accepted');
    assert.equal((await d.status()).charging_profiles.length, 1);

    for (const size of ['phone', 'laptop']) {
      const page = await openPage(browser, base2, size);
      if (size === 'phone') await uiLogin(page, 'installer', DEFAULT_PW.io7, 'Install-pass-1');
      else await uiLogin(page, 'installer', 'Install-pass-1');
      await page.goto(`${base2}/#smart`);
      const row = page.locator('table[data-table=profiles] tr[data-profile="731"]');
      await row.waitFor();
      const text = await row.textContent();
      for (const w of ['731', 'TxDefaultProfile', 'Relative', '0 s: 10.0 A', '3600 s: 6.0 A'])
        assert.ok(text.includes(w), `profile row has ${w}: ${text}`);
      assert.equal(await page.locator('[data-field=profiles]').textContent(), 'Charging profiles from the CSMS: 1');
      assert.doesNotMatch(await page.locator('main').textContent(), /null|undefined/, 'no empty values shown');
      await shot(page, `smart-profiles-${size}`);
      if (size === 'laptop') {
        page.once('dialog', (dlg) => dlg.accept());
        await page.locator('button[data-action=clear-profiles]').click();
        await page.locator('main .msg.ok', { hasText: /1 charging profile\(s\) cleared/ }).waitFor();
        await page.locator('[data-field=profiles]', { hasText: 'Charging profiles from the CSMS: 0' }).waitFor();
        assert.equal(await row.count(), 0, 'the row is gone');
        assert.ok(await page.locator('button[data-action=clear-profiles]').isDisabled(), 'nothing left to clear');
        assert.deepEqual((await d.status()).charging_profiles, [], 'evsed has none left');
        await shot(page, `smart-cleared-${size}`);
      }
      noErrors(page, `smart page at ${size} size`);
      await page.context().close();
    }
  } finally {
    await browser.close();
    if (csms) await csms.close();
  }
});
