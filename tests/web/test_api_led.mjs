// SPDX-License-Identifier: MIT
// REST API, the LED page (G3 F2): /api/led gives each connector's pattern
// and brightness now, the running product's legend from the indication core
// (the io7's colours here, the MQ200's steady / flashing red on another
// charger), and the brightness settings; identify flashes this charger's
// LEDs white for 10 s; the dimming settings go through the registry (an
// invalid one named, nothing saved). Roles: maintain may read and identify,
// a driver (user) may not, nobody without a session, no change without the
// CSRF token.
import fs from 'node:fs';
import path from 'node:path';
import {
  assert, run, SIM, Client, startWeb, expectStatus, DEFAULT_PW,
} from './lib.mjs';

run('web_api_led', async (t) => {
  let { d, base, ca } = await startWeb(t, [...SIM, '--set', 'auth.required=false']);
  const inst = new Client(base, ca);
  await inst.firstLogin('installer', DEFAULT_PW.io7, 'Install-pass-1');

  let x = (await inst.get('/api/led')).json.data;
  assert.equal(x.scheme, 'io7');
  assert.deepEqual(x.connectors.map((c) => [c.id, c.state, c.led, c.brightness, c.dimmed]),
    [[1, 'Available', 'green', 100, false], [2, 'Available', 'green', 100, false]]);
  assert.deepEqual(x.settings, { LightIntensity: 100, 'led.dim_after': 0, 'led.dim_intensity': 10 });
  const line = (st, c, f = null) => x.legend.find((l) => l.status === st && l.case === c && l.fault === f);
  assert.equal(line('Available', '').pattern, 'green');
  assert.equal(line('Charging', '').pattern, 'blue-pulsing');
  assert.equal(line('SuspendedEVSE', 'delayed').pattern, 'blue');
  assert.equal(line('Available', 'identify').pattern, 'white-flashing');
  assert.equal(line('Faulted', 'fault', 'overcurrent').pattern, 'red-blue-magenta');

  // What the legend says is what a connector shows.
  await d.ok('plug', '1');
  await d.ok('ev', '1', 'charge');
  await d.advance(5);
  x = (await inst.get('/api/led')).json.data;
  assert.equal(x.connectors[0].state, 'Charging');
  assert.equal(x.connectors[0].led, line('Charging', '').pattern);
  await d.ok('fault', 'overcurrent', 'on');
  x = (await inst.get('/api/led')).json.data;
  assert.equal(x.connectors[0].led, 'red-blue-magenta');
  await d.ok('fault', 'overcurrent', 'off');
  await d.advance(40);
  await d.ok('unplug', '1');

  // Identify: white for 10 s, then back.
  expectStatus(await inst.post('/api/led/identify', {}, { csrf: false }), 403, /CSRF/, 'identify without CSRF');
  expectStatus(await inst.post('/api/led/identify', {}), 200, null, 'identify');
  x = (await inst.get('/api/led')).json.data;
  assert.deepEqual(x.connectors.map((c) => c.led), ['white-flashing', 'white-flashing']);
  await d.advance(10);
  x = (await inst.get('/api/led')).json.data;
  assert.deepEqual(x.connectors.map((c) => c.led), ['green', 'green']);
  assert.match(d.stderr, /web: installer asked this charger to identify/);

  // Dimming through the registry.
  let r = await inst.patch('/api/settings', { values: { 'led.dim_intensity': 5, 'led.dim_after': 99999 } });
  expectStatus(r, 400, /led.dim_after: /, 'out of range');
  assert.equal(r.json.field, 'led.dim_after');
  assert.equal((await d.config('led.dim_intensity')).value, '10', 'nothing saved');
  expectStatus(await inst.patch('/api/settings', { values: { 'led.dim_intensity': 5, 'led.dim_after': 30 } }), 200, null, 'dimming');
  await d.advance(30);
  x = (await inst.get('/api/led')).json.data;
  assert.deepEqual(x.connectors.map((c) => [c.brightness, c.dimmed]), [[5, true], [5, true]]);
  assert.deepEqual(x.settings, { LightIntensity: 100, 'led.dim_after': 30, 'led.dim_intensity': 5 });

  // Roles.
  for (const u of ['maintain', 'user'])
    expectStatus(await inst.post('/api/users/reset', { user: u, password: `Temp-${u}-1` }), 200, null, `reset ${u}`);
  const mt = new Client(base, ca);
  await mt.firstLogin('maintain', 'Temp-maintain-1', 'Own-maintain-1');
  expectStatus(await mt.get('/api/led'), 200, null, 'maintain reads');
  expectStatus(await mt.post('/api/led/identify', {}), 200, null, 'maintain identifies');
  expectStatus(await mt.patch('/api/settings', { values: { 'led.dim_after': 0 } }), 403, /maintain role may not/, 'maintain changes');
  const usr = new Client(base, ca);
  await usr.firstLogin('user', 'Temp-user-1', 'Own-user-pass-1');
  expectStatus(await usr.get('/api/led'), 403, /the user role may not/, 'user');
  expectStatus(await usr.post('/api/led/identify', {}), 403, /the user role may not/, 'user identify');
  const anon = new Client(base, ca);
  expectStatus(await anon.get('/api/led'), 401, /not logged in/, 'anonymous');
  expectStatus(await anon.post('/api/led/identify', {}), 401, /not logged in/, 'anonymous identify');
  await d.stop();

  // The MQ200's legend: steady red locked out, flashing red recoverable.
  const dir = path.join(t.dir, 'mq200');
  fs.mkdirSync(dir);
  ({ d, base, ca } = await startWeb(t, [...SIM, '--set', 'profile=mq200'], { dir }));
  const m = new Client(base, ca);
  await m.firstLogin('installer', DEFAULT_PW.mq200, 'Install-pass-1');
  x = (await m.get('/api/led')).json.data;
  assert.equal(x.scheme, 'mq200');
  assert.equal(x.connectors.length, 1);
  assert.equal(x.legend.find((l) => l.status === 'Faulted' && l.case === '').pattern, 'red-flashing');
  assert.equal(x.legend.find((l) => l.case === 'locked' && l.fault === 'rcd').pattern, 'red');
  assert.equal(x.legend.find((l) => l.status === 'Charging').pattern, 'blue-flashing-slow');
  assert.equal(x.settings['led.dim_after'], 60);
  await d.stop();
});
