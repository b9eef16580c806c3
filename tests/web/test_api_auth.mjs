// SPDX-License-Identifier: MIT
// REST API, security (G2 P1): every endpoint refuses a request without a
// session; the profile's default password only logs in and sets a new one;
// the CSRF token is required on every change; bad JSON, oversize bodies,
// unknown paths and methods are answered and change nothing; the roles
// (installer, maintain, user) see what they may; an installer resets another
// account's password; logout; login rate limiting; security headers.
import fs from 'node:fs';
import {
  assert, run, SIM, Client, startWeb, expectStatus, DEFAULT_PW,
} from './lib.mjs';

// Every route: method, path, body, least role (u = user, m = maintain,
// i = installer).
const ROUTES = [
  ['GET', '/api/info', undefined, 'u'],
  ['GET', '/api/status', undefined, 'u'],
  ['GET', '/api/events', undefined, 'u'],
  ['GET', '/api/history', undefined, 'u'],
  ['GET', '/api/history.csv', undefined, 'u'],
  ['POST', '/api/connectors/1/unlock', {}, 'm'],
  ['GET', '/api/faults', undefined, 'm'],
  ['GET', '/api/faults.csv', undefined, 'm'],
  ['GET', '/api/time', undefined, 'm'],
  ['GET', '/api/network', undefined, 'm'],
  ['GET', '/api/led', undefined, 'm'],
  ['POST', '/api/led/identify', {}, 'm'],
  ['GET', '/api/logs', undefined, 'm'],
  ['GET', '/api/settings', undefined, 'm'],
  ['GET', '/api/ocpp', undefined, 'm'],
  ['GET', '/api/cards', undefined, 'm'],
  ['PATCH', '/api/settings', { values: { 'charger.current_limit': 20 } }, 'i'],
  ['POST', '/api/cards', { uid: 'AB12' }, 'i'],
  ['POST', '/api/cards/remove', { uid: 'AB12' }, 'i'],
  ['POST', '/api/cards/learn', { slot: 1 }, 'i'],
  ['POST', '/api/maintenance/serial', { serial: 'X1' }, 'i'],
  ['POST', '/api/maintenance/factory-reset', {}, 'i'],
  ['GET', '/api/users', undefined, 'i'],
  ['POST', '/api/users/reset', { user: 'user', password: 'x' }, 'i'],
  ['POST', '/api/maintenance/reboot', {}, 'm'],
  ['GET', '/api/installer', undefined, 'm'],
  ['POST', '/api/installer/calibrate', { values: { 'installer.name': 'Ann' } }, 'i'],
  ['POST', '/api/installer/defaults', {}, 'i'],
  // Group balancing is off and there is no CSMS here: a role that may use
  // these gets 409 saying so (tests/web/test_api_group.mjs has them on).
  ['GET', '/api/group', undefined, 'm', 409],
  ['POST', '/api/group/identify', { all: true }, 'i', 409],
  ['POST', '/api/group/rebuild', {}, 'i', 409],
  ['POST', '/api/profiles/clear', {}, 'i', 409],
  // The firmware upload (G4; tests/web/test_api_firmware.mjs): refused
  // before its body like every other change.
  ['POST', '/api/firmware', {}, 'i'],
];
const RANK = { u: 0, m: 1, i: 2 };

/** One route's answer; an event stream is read up to its first event. */
async function call(c, m, p, body) {
  if (p !== '/api/events') return c.req(m, p, { body });
  const s = await c.events(p);
  if (s.status !== 200) return s;
  const ev = await s.next();
  s.close();
  assert.ok(Array.isArray(ev.connectors), 'an event is the status');
  return { status: 200, text: '', json: { ok: true } };
}

run('web_api_auth', async (t) => {
  // docs/openapi.yaml describes exactly these routes.
  const spec = fs.readFileSync(new URL('../../docs/openapi.yaml', import.meta.url), 'utf8');
  const documented = [...spec.matchAll(/^  (\/api\/[^:]+):$/gm)].map((m) => m[1]).sort();
  const tested = [...new Set([...ROUTES.map((r) => r[1].replace('/1/', '/{n}/')),
    '/api/login', '/api/logout', '/api/me', '/api/password'])].sort();
  assert.deepEqual(documented, tested, 'docs/openapi.yaml paths');

  const { d, base, ca } = await startWeb(t, SIM);
  const anon = new Client(base, ca);

  // Security headers on a page and on the API.
  const page = await anon.get('/');
  assert.equal(page.status, 200);
  assert.match(page.headers['content-type'], /^text\/html/);
  assert.match(page.headers['content-security-policy'], /default-src 'none'.*frame-ancestors 'none'/);
  assert.equal(page.headers['x-content-type-options'], 'nosniff');
  assert.equal(page.headers['x-frame-options'], 'DENY');
  expectStatus(await anon.get('/nope.html'), 404, /not found/, 'unknown file');
  expectStatus(await anon.post('/index.html', {}), 405, /method/, 'POST to a file');

  // No session: 401 everywhere but login and me.
  let r0;
  for (const [m, p, b] of ROUTES)
    expectStatus(await call(anon, m, p, b), 401, /not logged in/, `${m} ${p} anonymous`);
  r0 = await anon.get('/api/me');
  expectStatus(r0, 200, null, 'me anonymous');
  assert.equal(r0.json.data, null, 'nobody is logged in');
  expectStatus(await anon.get('/api/nothing'), 404, /no such API/, 'unknown API');
  expectStatus(await anon.req('DELETE', '/api/status'), 405, /not allowed/, 'wrong method');

  // Wrong password, unknown user, malformed login.
  expectStatus(await anon.post('/api/login', { user: 'installer', password: 'wrong' }), 401,
    /wrong user name or password/, 'wrong password');
  expectStatus(await anon.post('/api/login', { user: 'nobody', password: 'x' }), 401,
    /wrong user name or password/, 'unknown user');
  expectStatus(await anon.post('/api/login', { user: 'evil\nevsed: forged line', password: 'x' }), 401,
    /wrong user name or password/, 'a user name with a newline');
  let r = await anon.post('/api/login', { user: 'installer' });
  expectStatus(r, 400, /password: required/, 'login without a password');
  assert.equal(r.json.field, 'password');
  expectStatus(await anon.post('/api/login', '{"user": '), 400, /bad JSON/, 'bad JSON');
  expectStatus(await anon.post('/api/login', '[1,2]'), 400, /bad JSON/, 'JSON not an object');
  expectStatus(await anon.post('/api/login', '{"user":"a","user":"b","password":"c"}'), 400,
    /bad JSON/, 'duplicate keys');
  expectStatus(await anon.post('/api/login', 'x'.repeat(17000)), 413, /too large/, 'oversize body');
  expectStatus(await anon.req('POST', '/api/login', { headers: { 'transfer-encoding': 'chunked' } }), 411,
    /Content-Length required/, 'chunked body');

  // First login: the default password only leads to a new password.
  const inst = new Client(base, ca);
  r = await inst.login('installer', DEFAULT_PW.io7);
  assert.equal(r.json.data.must_change, true);
  assert.equal(r.json.data.role, 'installer');
  assert.match(r.headers['set-cookie'][0], /HttpOnly; Secure; SameSite=Strict; Max-Age=\d+/);
  assert.match(inst.cookie, /^evsed_session=[0-9a-f]{32}$/, '128-bit session id');
  assert.match(inst.csrf, /^[0-9a-f]{32}$/);
  for (const [m, p, b] of ROUTES)
    expectStatus(await call(inst, m, p, b), 403, /password change required/,
      `${m} ${p} before the password change`);
  expectStatus(await inst.get('/api/me'), 200, null, 'me before the change');
  // The password change needs the CSRF token too.
  r = await inst.post('/api/password', { current: DEFAULT_PW.io7, new: 'Install-pass-1' }, { csrf: false });
  expectStatus(r, 403, /CSRF/, 'password change without CSRF');
  r = await inst.post('/api/password', { current: 'nope', new: 'Install-pass-1' });
  expectStatus(r, 400, /current: wrong password/, 'wrong current password');
  assert.equal(r.json.field, 'current');
  r = await inst.post('/api/password', { current: DEFAULT_PW.io7, new: 'short' });
  expectStatus(r, 400, /new: must be at least 8/, 'short password');
  assert.equal(r.json.field, 'new');
  r = await inst.post('/api/password', { current: DEFAULT_PW.io7, new: DEFAULT_PW.io7 });
  expectStatus(r, 400, /new: must differ/, 'same password');
  r = await inst.post('/api/password', { current: DEFAULT_PW.io7, new: 'Install-pass-1' });
  expectStatus(r, 200, null, 'password change');
  // The default password no longer works.
  await new Client(base, ca).login('installer', DEFAULT_PW.io7, 401);

  // The installer may do everything; the CSRF token is required on changes.
  for (const [m, p, b, , okStatus = 200] of ROUTES) {
    if (m === 'GET') {
      expectStatus(await call(inst, m, p), okStatus, null, `installer ${p}`);
    } else {
      expectStatus(await inst.req(m, p, { body: b, csrf: false }), 403, /CSRF/, `${m} ${p} without CSRF`);
      expectStatus(await inst.req(m, p, { body: b, headers: { 'x-csrf-token': '0'.repeat(32) }, csrf: false }),
        403, /CSRF/, `${m} ${p} with a wrong CSRF token`);
    }
  }
  assert.equal((await d.config('charger.current_limit')).value, '32', 'nothing changed without CSRF');
  // Group balancing off, no CSMS: said so, nothing done.
  expectStatus(await inst.get('/api/group'), 409, /group balancing is off \(group\.mode off\)/, 'group off');
  expectStatus(await inst.post('/api/group/rebuild', {}), 409, /group balancing is off/, 'rebuild, group off');
  expectStatus(await inst.post('/api/group/identify', { all: 'yes' }), 400, /all: true or false/, 'identify all: a string');
  expectStatus(await inst.post('/api/profiles/clear', {}), 409, /no CSMS configured/, 'profiles clear without a CSMS');
  const lim = await inst.patch('/api/settings', { values: { 'charger.current_limit': 20 } });
  expectStatus(lim, 200, null, 'settings change with CSRF');
  assert.equal((await d.config('charger.current_limit')).value, '20');

  // Installer resets the other accounts' passwords; they must change them.
  r = await inst.post('/api/users/reset', { user: 'user', password: 'short' });
  expectStatus(r, 400, /password: must be at least 8/, 'weak reset password');
  r = await inst.post('/api/users/reset', { user: 'ghost', password: 'Temp-pass-1' });
  expectStatus(r, 400, /no such account/, 'reset of an unknown account');
  r = await inst.post('/api/users/reset', { user: 'installer', password: 'Temp-pass-1' });
  expectStatus(r, 400, /own password/, 'reset of oneself');
  for (const u of ['user', 'maintain'])
    expectStatus(await inst.post('/api/users/reset', { user: u, password: `Temp-${u}-1` }), 200, null, `reset ${u}`);
  const users = (await inst.get('/api/users')).json.data;
  assert.deepEqual(users.map((u) => [u.user, u.role, u.must_change]),
    [['installer', 'installer', false], ['maintain', 'maintain', true], ['user', 'user', true]]);
  assert.ok(users.every((u) => !('hash' in u) && !('salt' in u)), 'no hashes in the API');

  // Each role sees what it may and nothing more.
  for (const [name, rank] of [['user', 0], ['maintain', 1]]) {
    const c = new Client(base, ca);
    await c.firstLogin(name, `Temp-${name}-1`, `Own-${name}-pass-1`);
    for (const [m, p, b, least, okStatus = 200] of ROUTES) {
      if (p === '/api/maintenance/reboot' || p === '/api/connectors/1/unlock') continue; // below
      const res = await call(c, m, p, b);
      if (RANK[least] > rank)
        expectStatus(res, 403, new RegExp(`the ${name} role may not`), `${name}: ${m} ${p}`);
      else
        expectStatus(res, okStatus, null, `${name}: ${m} ${p}`);
    }
    const unlock = await c.post('/api/connectors/1/unlock', {});
    if (rank < 1) expectStatus(unlock, 403, /may not/, `${name}: unlock`);
    else assert.ok([200, 409].includes(unlock.status), `${name}: unlock: ${unlock.text}`);
    await c.post('/api/logout', {});
    expectStatus(await c.get('/api/status'), 401, /not logged in/, `${name} after logout`);
  }
  expectStatus(await inst.post('/api/connectors/9/unlock', {}), 404, /no connector 9/, 'unlock of connector 9');

  // Live updates: an event a second while the session lives; a logout ends
  // the stream. At most 16 streams.
  const live = new Client(base, ca);
  await live.login('maintain', 'Own-maintain-pass-1');
  const st = await live.events();
  assert.equal(st.status, 200);
  assert.match(st.headers['content-type'], /^text\/event-stream/);
  const e1 = await st.next(3000);
  const e2 = await st.next(3000);
  assert.ok(e1.connectors.length === 2 && e2.connectors.length === 2);
  await d.ok('plug', '2');
  let seen = false;
  for (let i = 0; i < 3 && !seen; i++) seen = (await st.next(3000)).connectors[1].state !== 'Available';
  assert.ok(seen, 'the plug shows in the events');
  // The stream outlives lws's transaction timeouts (it once stopped at 5 s).
  for (let i = 0; i < 6; i++) await st.next(3000);
  await live.post('/api/logout', {});
  await st.ended;
  const many = [];
  for (let i = 0; i < 16; i++) many.push(await inst.events());
  const more = await inst.events();
  expectStatus(more, 503, /too many open event streams/, 'the 17th stream');
  for (const m of many) m.close();

  // Every change is in the log, never a password.
  const logs = (await inst.get('/api/logs')).json.data.join('\n');
  assert.match(logs, /web: installer changed their password/);
  assert.match(logs, /web: installer reset the password of user/);
  assert.match(logs, /web: installer changed setting charger.current_limit/);
  assert.match(logs, /refused: no valid CSRF token/);

  // A password reset ends the sessions of that account.
  const u2 = new Client(base, ca);
  await u2.login('user', 'Own-user-pass-1');
  await inst.post('/api/users/reset', { user: 'user', password: 'Temp-user-2' });
  expectStatus(await u2.get('/api/status'), 401, /not logged in/, 'session after a reset');

  // Login rate limiting: 5 failures from one address, then even the right
  // password waits.
  const x = new Client(base, ca);
  for (let i = 0; i < 5; i++) await x.login('installer', `bad-${i}`, 401);
  r = await x.post('/api/login', { user: 'installer', password: 'Install-pass-1' });
  expectStatus(r, 429, /too many failed logins: try again in \d+ s/, 'rate limit');
  assert.match((await inst.get('/api/logs')).json.data.join('\n'),
    /login from 127.0.0.1 refused: too many failed attempts/);
  // A live session is not affected.
  expectStatus(await inst.get('/api/status'), 200, null, 'session during the lock-out');

  // The whole log, once evsed has stopped: never a password.
  await d.stop();
  for (const secret of ['Install-pass-1', 'Temp-user-1', 'Own-user-pass-1', 'Temp-user-2', DEFAULT_PW.io7])
    assert.ok(!d.stderr.includes(secret), `the log must not hold a password (${secret})`);
  assert.match(d.stderr, /web: installer changed their password/);
  assert.match(d.stderr, /failed login for 'evil\?evsed: forged line'/, 'no line breaks from a user name');
});
