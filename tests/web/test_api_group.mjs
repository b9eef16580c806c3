// SPDX-License-Identifier: MIT
// REST API, group load balancing (G3 E4 E5): two real evsed in one group on
// loopback (group.peers), the web UI on the first. GET /api/group is the
// control socket's `group status` (every member, the master, the offers);
// identify flashes this charger's LEDs white, or every member's with all;
// rebuild forgets the members and finds them again. Roles, CSRF and a bad
// body are refused and change nothing. (Group off and no CSMS: the 409s are
// in test_api_auth.mjs.)
import fs from 'node:fs';
import path from 'node:path';
import {
  assert, run, Client, freePort, expectStatus, DEFAULT_PW,
} from './lib.mjs';
import { startGroup, waitFor, ev } from '../integration/group.mjs';

run('web_api_group', async (t) => {
  const port = await freePort();
  const [a, b] = await startGroup(t, [
    { serial: 'WG-A', port: 17811, args: ['--set', `web.listen=127.0.0.1:${port}`] },
    { serial: 'WG-B', port: 17812 },
  ], ['--set', 'group.limit=20']);
  const ca = fs.readFileSync(path.join(t.dir, 'WG-A', 'var', 'web-cert.pem'));
  const base = `https://127.0.0.1:${port}`;

  const inst = new Client(base, ca);
  await inst.firstLogin('installer', DEFAULT_PW.io7, 'Install-pass-1');
  for (const u of ['user', 'maintain'])
    expectStatus(await inst.post('/api/users/reset', { user: u, password: `Temp-${u}-1` }), 200, null, `reset ${u}`);
  const maint = new Client(base, ca);
  await maint.firstLogin('maintain', 'Temp-maintain-1', 'Maintain-pass-1');
  const user = new Client(base, ca);
  await user.firstLogin('user', 'Temp-user-1', 'User-pass-11');
  const anon = new Client(base, ca);

  // An EV charges at B: the master offers it the group's current.
  await ev(b);
  const g = await waitFor('both members, B offered', async () => {
    const r = await maint.get('/api/group');
    if (r.status !== 200) return [false, r.text];
    const s = r.json.data;
    const mb = s.members.find((m) => m.id === 'WG-B');
    return [s.members.length === 2 && s.master === 'WG-A' && mb?.online
      && mb.connectors[0].offered_a > 0, s];
  });
  assert.equal(g.mode, 'auto');
  assert.equal(g.id, 'site-a');
  assert.equal(g.self, 'WG-A');
  assert.equal(g.role, 'master');
  assert.equal(g.limit_a, 20);
  const [ma, mb] = ['WG-A', 'WG-B'].map((id) => g.members.find((m) => m.id === id));
  assert.equal(ma.master, true);
  assert.equal(ma.self, true);
  assert.equal(mb.master, false);
  assert.equal(ma.connectors.length, 2, 'an io7 has two connectors');
  const cb = mb.connectors[0];
  assert.deepEqual(cb.phases, ['L1', 'L2', 'L3']);
  assert.equal(cb.wants, true);
  assert.equal(cb.requested_a, 32);
  assert.equal(cb.offered_a, 20, 'B alone gets the group limit');
  assert.equal(cb.used_a.length, 3);
  assert.equal(ma.connectors[0].offered_a, 0, 'A wants nothing');
  // The same as the control socket says.
  const ctl = await a.json('group', 'status');
  assert.deepEqual(ctl.members.map((m) => m.id).sort(), ['WG-A', 'WG-B']);

  // Who may: anonymous and user not; maintain reads, only installer acts;
  // the CSRF token is required; a bad body is named.
  expectStatus(await anon.get('/api/group'), 401, /not logged in/, 'anonymous');
  expectStatus(await user.get('/api/group'), 403, /the user role may not/, 'user');
  expectStatus(await maint.post('/api/group/identify', { all: true }), 403, /the maintain role may not/, 'maintain identify');
  expectStatus(await maint.post('/api/group/rebuild', {}), 403, /the maintain role may not/, 'maintain rebuild');
  expectStatus(await inst.post('/api/group/identify', { all: true }, { csrf: false }), 403, /CSRF/, 'identify without CSRF');
  expectStatus(await inst.post('/api/group/rebuild', {}, { csrf: false }), 403, /CSRF/, 'rebuild without CSRF');
  expectStatus(await inst.post('/api/group/identify', { all: 1 }), 400, /all: true or false/, 'all: a number');
  assert.notEqual((await a.conn(1)).led, 'white-flashing', 'nothing flashed');
  assert.equal((await a.json('group', 'status')).members.length, 2, 'nothing rebuilt');

  // Identify this charger: its LEDs flash white, not B's.
  let r = await inst.post('/api/group/identify', {});
  expectStatus(r, 200, null, 'identify this');
  assert.match(r.json.message, /this charger's LEDs flash for 10 s/);
  assert.equal((await a.conn(1)).led, 'white-flashing');
  assert.equal((await a.conn(2)).led, 'white-flashing');
  assert.notEqual((await b.conn(1)).led, 'white-flashing');
  assert.equal((await inst.get('/api/group')).json.data.identify, true);
  // Identify all: B's too.
  r = await inst.post('/api/group/identify', { all: true });
  expectStatus(r, 200, null, 'identify all');
  assert.match(r.json.message, /every charger of the group's LEDs flash/);
  await waitFor('B flashes', async () => {
    const led = (await b.conn(1)).led;
    return [led === 'white-flashing', led];
  });

  // Rebuild: the members are forgotten, then found again.
  r = await inst.post('/api/group/rebuild', {});
  expectStatus(r, 200, null, 'rebuild');
  assert.match(r.json.message, /group rebuilt/);
  await waitFor('the rebuild logged', async () => [/web: installer rebuilt the group[^]*group: rebuilt/.test(a.stderr), 'no log line'], 3000);
  await waitFor('B found again', async () => {
    const s = (await maint.get('/api/group')).json.data;
    return [s.members.length === 2 && s.members.every((m) => m.online), s.members.map((m) => m.id)];
  }, 4000);

  // No CSMS here: no profiles to clear, said so.
  expectStatus(await inst.post('/api/profiles/clear', {}), 409, /no CSMS configured/, 'profiles clear');
  expectStatus(await maint.post('/api/profiles/clear', {}), 403, /the maintain role may not/, 'maintain clear');
});
