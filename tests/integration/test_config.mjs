// SPDX-License-Identifier: MIT
// Settings at run time (evsectl config): a change applies at once to a
// charging EV, persists in the store across a restart, and --set on the
// command line wins over the stored value. Start-up-only and read-only
// settings are refused; the OCPP password is never shown or logged.
import { assert, run, SIM } from './lib.mjs';

const PASSWORD = 'Sup3r-S3cret-pw';

async function charging(d) {
  await d.ok('plug', '1');
  await d.ok('swipe', 'CARD1');
  await d.ok('ev', '1', 'charge');
  const c = await d.conn(1);
  assert.equal(c.state, 'Charging');
  return c;
}

run('config', async (t) => {
  let d = await t.start(SIM);
  let g = await d.config('charger.current_limit');
  assert.equal(Number(g.value), 32, 'io7 default installer limit');
  assert.equal(g.source, 'default');
  await d.ok('card', 'add', 'CARD1');
  let c = await charging(d);
  assert.equal(c.offered_a, 32);
  assert.equal(c.limit_reason, 'hardware');

  // A change reaches the charging EV at once.
  const out = await d.ok('config', 'set', 'charger.current_limit', '16');
  assert.match(out, /charger\.current_limit/);
  c = await d.conn(1);
  assert.equal(c.offered_a, 16, `offer after config set: ${JSON.stringify(c)}`);
  assert.equal(c.limit_reason, 'installer');
  assert.equal(c.state, 'Charging');
  await d.advance(60);
  c = await d.conn(1);
  // The pilot duty has a 0.1 % (0.06 A) resolution: allow one step.
  for (const i of c.current_a ?? []) assert.ok(i <= 16.06 + 1e-6, `EV draws ${i} A over 16 A`);
  assert.ok(c.power_w <= 16.06 * 230 * 3 + 1, `power ${c.power_w} W over 16 A`);
  g = await d.config('charger.current_limit');
  assert.equal(Number(g.value), 16);
  assert.equal(g.source, 'runtime');
  const list = await d.json('config', 'list');
  assert.ok(Array.isArray(list));
  assert.equal(Number(list.find((x) => x.key === 'charger.current_limit').value), 16, 'config list agrees');

  // Refused changes change nothing.
  await d.fails(1, /profile/, 'config', 'set', 'profile', 'mq200');
  await d.fails(1, /profile/, 'config', 'set', 'profile', 'x');
  await d.fails(1, /NumberOfConnectors.*read-only|read-only.*NumberOfConnectors/, 'config', 'set', 'NumberOfConnectors', '3');
  await d.fails(1, /charger\.current_limit/, 'config', 'set', 'charger.current_limit', '99');
  await d.fails(1, /charger\.current_limit/, 'config', 'set', 'charger.current_limit', 'lots');
  await d.fails(1, /nosuch/, 'config', 'set', 'nosuch.key', '1');
  await d.fails(1, /nosuch/, 'config', 'get', 'nosuch.key');
  assert.equal((await d.config('profile')).value, 'io7');
  assert.equal(Number((await d.config('NumberOfConnectors')).value), 2);
  assert.equal(Number((await d.config('charger.current_limit')).value), 16);
  assert.equal((await d.status()).connectors.length, 2);
  assert.equal((await d.conn(1)).offered_a, 16);

  // The password: stored, never shown, never logged.
  assert.equal((await d.status()).restart_required, false, 'nothing waits for a restart yet');
  const setOut = await d.ok('config', 'set', 'ocpp.password', PASSWORD);
  assert.ok(!setOut.includes(PASSWORD), `evsectl config set echoes the password: ${setOut}`);
  // The CSMS connection is made at start: its URL says when it applies.
  assert.doesNotMatch(setOut, /restart/, 'a new password is used by the next connection');
  assert.match(await d.ok('config', 'set', 'ocpp.url', 'ws://127.0.0.1:9/ocpp'), /takes effect after a restart/);
  const st = await d.status();
  assert.equal(st.ocpp.url, '', 'the running charger keeps the URL it started with (none)');
  assert.equal(st.restart_required, true, 'status says a restart is needed');
  g = await d.config('ocpp.password');
  assert.equal(g.value, '********');
  const listText = await d.ok('config', 'list');
  assert.ok(!listText.includes(PASSWORD), 'config list shows the password');
  assert.ok(!JSON.stringify(await d.json('config', 'list')).includes(PASSWORD), 'config list --json shows the password');
  assert.ok(!JSON.stringify(await d.status()).includes(PASSWORD), 'status shows the password');
  assert.ok(!(await d.ok('config', 'get', 'ocpp.password')).includes(PASSWORD));

  await d.stop();
  assert.ok(!d.stderr.includes(PASSWORD), 'the password appears in evsed\'s log');
  assert.ok(!d.stdout.includes(PASSWORD), 'the password appears on evsed\'s stdout');

  // Restart on the same data directory: the stored value is back.
  d = await t.start(SIM);
  g = await d.config('charger.current_limit');
  assert.equal(Number(g.value), 16, 'persisted across a restart');
  assert.equal(g.source, 'store');
  assert.equal((await d.config('ocpp.password')).value, '********', 'password kept (and hidden)');
  assert.equal((await d.status()).restart_required, false, 'restarted: nothing waits any more');
  c = await charging(d);
  assert.equal(c.offered_a, 16);
  assert.equal(c.limit_reason, 'installer');
  await d.stop();
  assert.ok(!d.stderr.includes(PASSWORD), 'the password appears in evsed\'s log after a restart');

  // --set on the command line wins over the store.
  d = await t.start([...SIM, '--set', 'charger.current_limit=20']);
  g = await d.config('charger.current_limit');
  assert.equal(Number(g.value), 20, '--set wins over the stored value');
  assert.equal(g.source, 'command line');
  c = await charging(d);
  assert.equal(c.offered_a, 20);
  assert.equal(c.limit_reason, 'installer');
  await d.stop();
  assert.ok(!d.stderr.includes(PASSWORD));

  // Without --set the stored value is still there (--set is for one run only).
  d = await t.start(SIM);
  assert.equal(Number((await d.config('charger.current_limit')).value), 16, '--set did not overwrite the store');
  await d.stop();
  assert.ok(!d.stderr.includes(PASSWORD));
});
