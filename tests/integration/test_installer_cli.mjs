// SPDX-License-Identifier: MIT
// evsectl's side of the installer page (G6): `config set` with several pairs
// is one transaction (the first bad value named, nothing saved); `installer
// calibrate` saves the given installer settings with the accelerometer's
// reference; `installer defaults` puts the installer settings back to the
// profile's defaults (here the MQ200's: reboot.period 10080).
import { assert, run, SIM } from './lib.mjs';

run('installer_cli', async (t) => {
  const d = await t.start([...SIM, '--set', 'profile=mq200']);
  const cfg = async (k) => (await d.config(k)).value;

  // Several pairs: all or nothing.
  await d.fails(1, /charger\.current_limit: must be between 6 and 63 A/, 'config', 'set', 'installer.name', 'Ann', 'charger.current_limit', '5');
  assert.equal(await cfg('installer.name'), '');
  await d.fails(1, /installer\.name: given twice/, 'config', 'set', 'installer.name', 'A', 'installer.name', 'B');
  await d.fails(1, /profile: can only be set at start/, 'config', 'set', 'installer.name', 'A', 'profile', 'io7');
  await d.fails(2, /usage: config set KEY VALUE \[KEY VALUE\]/, 'config', 'set', 'installer.name', 'A', 'sound.enabled');
  assert.equal(await cfg('installer.name'), '');
  let out = await d.ok('config', 'set', 'installer.name', 'Ann', 'reboot.period', '120', 'supply.voltage', '208');
  assert.match(out, /3 settings saved \(some take effect after a restart\)/);
  assert.equal(await cfg('installer.name'), 'Ann');
  assert.equal((await d.status()).reboot.period_min, 120);

  // Calibrate: the reading now is the reference.
  await d.ok('tilt', '0.1', '5');
  out = await d.ok('installer', 'calibrate', 'tilt.enabled', 'true');
  assert.match(out, /1 setting\(s\) saved; calibrated: reference 0\.100 g, 5\.00 degrees/);
  assert.equal(await cfg('tilt.zero_angle'), '5');
  await d.fails(1, /ocpp\.url: not a setting of the installer page/, 'installer', 'calibrate', 'ocpp.url', 'ws://x');
  await d.ok('tilt', '0', '60');
  await d.fails(1, /cannot calibrate: the accelerometer reads 0\.00 g and 60\.0 degrees/, 'installer', 'calibrate');
  assert.equal(await cfg('tilt.zero_angle'), '5');

  // Defaults: the MQ200's.
  const keys = (await d.json('installer', 'keys'));
  assert.ok(keys.includes('reboot.period') && !keys.includes('charger.serial'), JSON.stringify(keys));
  out = await d.ok('installer', 'defaults');
  assert.match(out, /installer settings back to the profile defaults/);
  assert.equal(await cfg('reboot.period'), '10080');
  assert.equal(await cfg('charger.current_limit'), '50');
  assert.equal(await cfg('supply.voltage'), '240');
  assert.equal(await cfg('installer.name'), '');
  assert.equal(await cfg('tilt.zero_angle'), '0');
  assert.equal((await d.status()).reboot.period_min, 10080);
  await d.fails(2, /usage: installer keys/, 'installer', 'nope');
  await d.stop();
});
