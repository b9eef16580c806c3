// SPDX-License-Identifier: MIT
// The installer page's actions (G6, io7 6.1.8): "save all configuration +
// calibrate" saves every field and the accelerometer's reference in one
// settings transaction (one bad field is named and nothing is saved; a
// moving accelerometer is refused); "save tilt + calibrate"; "reset to
// default" puts the installer settings (GET /api/installer, not the serial,
// CSMS, cards or accounts) back to the profile's defaults, survives a restart
// and says when a restart is needed; both audited. Then the same in Chromium
// at laptop and phone sizes (screenshots installer-*.png), with the dialog.
import { assert, run, SIM, startWeb, Client, expectStatus, DEFAULT_PW } from './lib.mjs';
import { launch, openPage, uiLogin, noErrors, shot } from './browser.mjs';

const PW = 'Install-pass-1';

run('web_installer', async (t) => {
  const args = [...SIM, '--set', 'installer.company=ACME Ltd'];
  let { d, port, base, ca } = await startWeb(t, args);
  const inst = new Client(base, ca);
  await inst.firstLogin('installer', DEFAULT_PW.io7, PW);
  const cfg = async (k) => (await d.config(k)).value;

  // The installer page's settings: what is saved and reset.
  let r = await inst.get('/api/installer');
  expectStatus(r, 200, null, 'installer keys');
  const keys = r.json.data;
  for (const k of ['time.zone', 'charger.current_limit', 'supply.phases', 'supply.voltage',
    'installer.name', 'installer.email', 'tilt.enabled', 'tilt.angle', 'tilt.zero_g',
    'tilt.zero_angle', 'sound.enabled', 'resume_after_reboot', 'reboot.period'])
    assert.ok(keys.includes(k), `${k} is an installer setting: ${keys}`);
  for (const k of ['charger.serial', 'ocpp.url', 'ocpp.password', 'auth.required', 'lm.mode', 'profile'])
    assert.ok(!keys.includes(k), `${k} is not an installer setting`);

  // The accelerometer at rest: 0.5 g, mounted 12 degrees off vertical.
  await d.ok('tilt', '0.5', '12');

  // One bad field: named, nothing saved.
  r = await inst.post('/api/installer/calibrate', { values: { 'installer.name': 'Ann', 'charger.current_limit': 99 } });
  expectStatus(r, 400, /^charger\.current_limit: /, 'a bad field');
  assert.equal(r.json.field, 'charger.current_limit');
  assert.equal(await cfg('installer.name'), '', 'nothing saved');
  assert.equal(await cfg('tilt.zero_angle'), '0', 'not calibrated');
  r = await inst.post('/api/installer/calibrate', { values: { 'installer.name': 'Ann', 'ocpp.url': 'ws://x' } });
  expectStatus(r, 400, /ocpp\.url: not a setting of the installer page/, 'another page');
  assert.equal(r.json.field, 'ocpp.url');
  r = await inst.post('/api/installer/calibrate', { values: { 'charger.serial': 'X2' } });
  expectStatus(r, 400, /charger\.serial: not a setting of the installer page/, 'the serial');
  r = await inst.post('/api/installer/calibrate', { values: { 'tilt.zero_angle': 3 } });
  expectStatus(r, 400, /tilt\.zero_angle: set by the calibration itself/, 'the reference');
  r = await inst.post('/api/installer/calibrate', { values: { 'installer.name': { x: 1 } } });
  expectStatus(r, 400, /installer\.name: expected a string, number or true\/false/, 'an object value');
  r = await inst.post('/api/installer/calibrate', { values: 'all' });
  expectStatus(r, 400, /values: expected an object/, 'values not an object');
  // The group cross-check runs on the whole set too.
  assert.equal(await cfg('installer.name'), '');

  // A moving accelerometer is no reference: refused, nothing saved.
  await d.ok('tilt', '3', '12');
  r = await inst.post('/api/installer/calibrate', { values: { 'installer.name': 'Ann' } });
  expectStatus(r, 400, /cannot calibrate: the accelerometer reads 3\.00 g and 12\.0 degrees/, 'moving');
  assert.equal(r.json.field, 'tilt.zero_g');
  assert.equal(await cfg('installer.name'), '');
  await d.ok('tilt', '0.5', '12');

  // Save all + calibrate: every field and the reference at once.
  const all = { 'charger.current_limit': 20, 'installer.name': 'Ann Installer', 'installer.email': 'ann@example.com',
    'tilt.enabled': 'true', 'tilt.angle': 10, 'tilt.bump_g': 2, 'supply.voltage': 240, 'time.zone': 'Europe/Rome' };
  r = await inst.post('/api/installer/calibrate', { values: all });
  expectStatus(r, 200, null, 'save all + calibrate');
  assert.equal(r.json.data.saved, 8);
  assert.equal(r.json.data.zero_g, 0.5);
  assert.equal(r.json.data.zero_angle, 12);
  assert.equal(r.json.data.reboot_required, true, 'supply.voltage needs a restart');
  assert.match(r.json.message, /8 setting\(s\) saved; calibrated: reference 0\.500 g, 12\.00 degrees/);
  for (const [k, v] of Object.entries(all)) assert.equal(await cfg(k), String(v), k);
  assert.equal(await cfg('tilt.zero_g'), '0.5');
  assert.equal(await cfg('tilt.zero_angle'), '12');

  // Bump and tilt are measured from the reference.
  await d.ok('tilt', '2.4', '21'); // 1.9 g, 9 degrees from it
  let s = await d.status();
  assert.deepEqual(s.connectors[0].faults, [], JSON.stringify(s.connectors[0].faults));
  await d.ok('tilt', '0.5', '22.5'); // 10.5 degrees
  s = await d.status();
  assert.ok(s.connectors[0].faults.includes('tilt'), JSON.stringify(s.connectors[0].faults));
  await d.ok('tilt', '0.5', '12');
  await d.ok('fault', 'reset');

  // Save tilt + calibrate: the charger settled at 14 degrees.
  await d.ok('tilt', '0.5', '14');
  r = await inst.post('/api/installer/calibrate', { values: { 'tilt.enabled': 'true', 'tilt.angle': 15, 'tilt.bump_g': 3 } });
  expectStatus(r, 200, null, 'save tilt + calibrate');
  assert.equal(await cfg('tilt.zero_angle'), '14');
  assert.equal(await cfg('tilt.angle'), '15');
  assert.equal(await cfg('installer.name'), 'Ann Installer', 'the other fields stay');

  // Restart: the values and the reference were durable; supply.voltage in force.
  await d.stop();
  ({ d } = await startWeb(t, args, { port }));
  assert.equal(await cfg('tilt.zero_angle'), '14');
  assert.equal(await cfg('supply.voltage'), '240');
  await inst.login('installer', PW);

  // Reset to default: the installer page's settings, nothing else.
  await d.ok('config', 'set', 'ocpp.id', 'CP-KEEP');
  await d.ok('card', 'add', 'CARD9');
  const serial = await cfg('charger.serial');
  r = await inst.post('/api/installer/defaults', {});
  expectStatus(r, 200, null, 'reset to default');
  assert.deepEqual(r.json.data.kept, ['installer.company'], 'fixed by --set: kept');
  assert.ok(r.json.data.reset.includes('charger.current_limit'));
  assert.ok(!r.json.data.reset.includes('charger.serial'));
  assert.equal(r.json.data.reboot_required, true, 'supply.voltage 240 -> 230 waits for a restart');
  assert.equal((await d.status()).restart_required, true);
  const defaults = { 'charger.current_limit': '32', 'installer.name': '', 'installer.email': '',
    'tilt.enabled': 'false', 'tilt.angle': '30', 'tilt.bump_g': '4', 'tilt.zero_g': '0',
    'tilt.zero_angle': '0', 'supply.voltage': '230', 'time.zone': 'Europe/London', 'reboot.period': '0' };
  for (const [k, v] of Object.entries(defaults)) assert.equal(await cfg(k), v, k);
  assert.equal(await cfg('installer.company'), 'ACME Ltd');
  assert.equal(await cfg('ocpp.id'), 'CP-KEEP', 'not the CSMS');
  assert.equal(await cfg('charger.serial'), serial, 'not the serial number');
  assert.deepEqual((await d.json('card', 'list')).cards, ['CARD9'], 'not the cards');

  // Audited.
  const logs = (await inst.get('/api/logs')).json.data.join('\n');
  await inst.login('installer', PW); // the password survived the reset too
  assert.match(logs, /web: installer reset the installer settings to the profile defaults/);
  assert.match(logs, /installer settings back to the io7 defaults/);

  // Survives a restart.
  await d.stop();
  ({ d } = await startWeb(t, args, { port }));
  for (const [k, v] of Object.entries(defaults)) assert.equal(await cfg(k), v, `${k} after a restart`);
  assert.equal((await d.status()).restart_required, false);

  // In the browser.
  const browser = await launch();
  try {
    for (const size of ['laptop', 'phone']) {
      await d.ok('tilt', '0.2', '3');
      const page = await openPage(browser, base, size);
      await uiLogin(page, 'installer', PW);
      await page.goto(`${base}/#installer`);
      const name = page.locator('[data-key="installer.name"]');
      await name.waitFor();
      assert.equal(await page.locator('[data-key="charger.serial"]').count(), 0, 'the serial is on the maintenance page');
      await shot(page, `installer-${size}`);
      if (size === 'laptop') {
        // G5: the settings' names and help in the page's language.
        await page.locator('#lang').selectOption('it');
        await page.locator('label[for="s-charger_current_limit"]', { hasText: 'Limite di corrente del caricatore' }).waitFor();
        assert.match(await page.locator('#s-charger_current_limit-help').textContent(), /corrente massima dell'impianto/);
        assert.match(await page.locator('#save-calibrate').textContent(), /Salva tutta la configurazione \+ calibra/);
        await shot(page, 'installer-laptop-it');
        // Without a translation: the key and the registry's English help.
        await page.evaluate(() => { delete SETTING_TEXT['installer.name']; });
        await page.locator('#lang').selectOption('fr');
        await page.locator('label[for="s-charger_current_limit"]', { hasText: 'Limite de courant de la borne' }).waitFor();
        assert.equal(await page.locator('label[for="s-installer_name"]').textContent(), 'installer.name installer.name');
        assert.equal(await page.locator('#s-installer_name-help').textContent(), "installer's name (G6 installer information)");
        await page.locator('#lang').selectOption('en');
        await page.locator('label[for="s-charger_current_limit"]', { hasText: 'Charger current limit' }).waitFor();
        await page.reload();
        await name.waitFor();
      }
      // A bad field: marked, nothing saved.
      await name.fill(`Bob ${size}`);
      await page.locator('[data-key="charger.current_limit"]').fill('70');
      await page.locator('#save-calibrate').click();
      await page.locator('[data-key="charger.current_limit"][aria-invalid=true]').waitFor();
      assert.equal(await cfg('installer.name'), '');
      assert.deepEqual(page.errors, ['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
      page.errors.length = 0; // the deliberate 400
      // Save all + calibrate.
      await page.locator('[data-key="charger.current_limit"]').fill('25');
      await page.locator('#save-calibrate').click();
      await page.locator('main .msg.ok').waitFor();
      assert.match(await page.locator('main .msg.ok').textContent(), /0\.20 g, 3\.0°/);
      assert.equal(await cfg('installer.name'), `Bob ${size}`);
      assert.equal(await cfg('charger.current_limit'), '25');
      assert.equal(await cfg('tilt.zero_angle'), '3');
      assert.equal(await page.locator('[data-key="tilt.zero_angle"]').inputValue(), '3');
      // Save tilt + calibrate: only the tilt fields.
      await d.ok('tilt', '0.2', '4');
      await page.locator('[data-key="tilt.angle"]').fill('20');
      await page.locator('[data-key="installer.name"]').fill('not saved');
      await page.locator('#save-tilt-calibrate').click();
      await page.locator('main .msg.ok', { hasText: '4.0°' }).waitFor();
      assert.equal(await cfg('tilt.angle'), '20');
      assert.equal(await cfg('installer.name'), `Bob ${size}`);
      // Reset to default: the dialog names the settings; no = nothing.
      let asked = '';
      page.once('dialog', (dl) => { asked = dl.message(); dl.dismiss(); });
      await page.locator('#reset-defaults').click();
      await page.waitForTimeout(200);
      assert.match(asked, /charger\.current_limit/);
      assert.equal(await cfg('charger.current_limit'), '25', 'dismissed: nothing reset');
      page.once('dialog', (dl) => dl.accept());
      await page.locator('#reset-defaults').click();
      await page.locator('main .msg.ok', { hasText: /default/i }).waitFor();
      assert.equal(await cfg('charger.current_limit'), '32');
      assert.equal(await cfg('installer.name'), '');
      assert.equal(await page.locator('[data-key="installer.name"]').inputValue(), '');
      await shot(page, `installer-reset-${size}`);
      noErrors(page, `installer page (${size})`);
      await page.context().close();
    }
  } finally {
    await browser.close();
  }
  await d.stop();
});
