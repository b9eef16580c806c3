// SPDX-License-Identifier: MIT
// REST API, the system time page (G3): /api/time gives the charger's clock in
// UTC and in time.zone (with daylight saving), the clock kind, and where the
// time was last set from: the simulated start time, then the CSMS's
// BootNotification answer (by how much it moved, when); whether a CSMS sets
// it. The zone changes through the settings registry like every form (an
// invalid one named, nothing saved). Roles: maintain may read it, a driver
// (user) may not, nobody without a session.
import fs from 'node:fs';
import path from 'node:path';
import {
  assert, run, SIM, Client, startWeb, expectStatus, DEFAULT_PW,
} from './lib.mjs';
import { Csms } from '../ocpp/lib/csms.mjs';

run('web_api_time', async (t) => {
  let { d, base, ca } = await startWeb(t, SIM);
  const inst = new Client(base, ca);
  await inst.firstLogin('installer', DEFAULT_PW.io7, 'Install-pass-1');

  let x = (await inst.get('/api/time')).json.data;
  assert.deepEqual(x, {
    utc: '2026-01-01T00:00:00Z', local: '2026-01-01T00:00:00+00:00', zone: 'Europe/London',
    utc_offset_s: 0, dst: false, clock: 'sim', source: 'sim_start',
    set_at: '2026-01-01T00:00:00Z', step_s: 0, csms: { configured: false, connected: false },
  });

  // Time moves; the zone is a setting like any other.
  await d.advance(3 * 3600 + 61);
  let r = await inst.patch('/api/settings', { values: { 'time.zone': 'Mars/Olympus' } });
  expectStatus(r, 400, /time.zone: /, 'unknown zone');
  assert.equal(r.json.field, 'time.zone');
  assert.equal((await d.config('time.zone')).value, 'Europe/London', 'nothing saved');
  expectStatus(await inst.patch('/api/settings', { values: { 'time.zone': 'Europe/Rome' } }), 200, null, 'zone');
  x = (await inst.get('/api/time')).json.data;
  assert.equal(x.utc, '2026-01-01T03:01:01Z');
  assert.equal(x.local, '2026-01-01T04:01:01+01:00');
  assert.deepEqual([x.zone, x.utc_offset_s, x.dst, x.source], ['Europe/Rome', 3600, false, 'sim_start']);
  // Daylight saving in July; a POSIX rule west of UTC.
  await d.advance(181 * 86400);
  x = (await inst.get('/api/time')).json.data;
  assert.deepEqual([x.local, x.utc_offset_s, x.dst], ['2026-07-01T05:01:01+02:00', 7200, true]);
  expectStatus(await inst.patch('/api/settings', { values: { 'time.zone': 'PST8PDT,M3.2.0,M11.1.0' } }), 200, null, 'POSIX zone');
  x = (await inst.get('/api/time')).json.data;
  assert.deepEqual([x.local, x.utc_offset_s, x.dst], ['2026-06-30T20:01:01-07:00', -25200, true]);

  // Roles.
  expectStatus(await inst.post('/api/users/reset', { user: 'maintain', password: 'Temp-maintain-1' }), 200, null, 'reset maintain');
  expectStatus(await inst.post('/api/users/reset', { user: 'user', password: 'Temp-user-1' }), 200, null, 'reset user');
  const mt = new Client(base, ca);
  await mt.firstLogin('maintain', 'Temp-maintain-1', 'Own-maintain-1');
  expectStatus(await mt.get('/api/time'), 200, null, 'maintain');
  expectStatus(await mt.patch('/api/settings', { values: { 'time.zone': 'UTC' } }), 403, /maintain role may not/, 'maintain changes the zone');
  const usr = new Client(base, ca);
  await usr.firstLogin('user', 'Temp-user-1', 'Own-user-pass-1');
  expectStatus(await usr.get('/api/time'), 403, /the user role may not/, 'user');
  expectStatus(await new Client(base, ca).get('/api/time'), 401, /not logged in/, 'anonymous');
  expectStatus(await inst.post('/api/time', {}), 405, /not allowed/, 'POST');
  await d.stop();

  // With a CSMS whose clock is 10 min ahead: its BootNotification answer
  // sets the charger's clock.
  const csms = await new Csms({ clockStart: '2026-01-01T00:10:00Z' }).start();
  try {
    const dir = path.join(t.dir, 'csms');
    fs.mkdirSync(dir, { recursive: true });
    ({ d, base, ca } = await startWeb(t, [...SIM, '--set', `ocpp.url=${csms.url}`, '--set', 'ocpp.id=CP1'], { dir }));
    const c = new Client(base, ca);
    await c.firstLogin('installer', DEFAULT_PW.io7, 'Install-pass-1');
    await csms.waitFor('BootNotification');
    let y;
    for (let i = 0; i < 100; i++) {
      y = (await c.get('/api/time')).json.data;
      if (y.source === 'csms') break;
      await new Promise((ok) => setTimeout(ok, 50));
    }
    assert.deepEqual([y.source, y.step_s, y.set_at, y.csms.configured, y.csms.connected],
      ['csms', 600, '2026-01-01T00:10:00Z', true, true], JSON.stringify(y));
    assert.equal(y.utc, '2026-01-01T00:10:00Z');
    await d.stop();
  } finally {
    await csms.close();
  }
});
