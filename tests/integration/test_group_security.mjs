// SPDX-License-Identifier: MIT
// Group balancing (E4 E5): who may join, and the group commands.
//  - A charger with the wrong key and one with another group id send to the
//    group: their datagrams are dropped, counted and logged (wrong key: not
//    authenticated; other group: its id), they never enter the table, and the
//    key never appears in any log or in `config get`.
//  - A datagram of the group captured on the wire and sent again is dropped
//    as replayed; garbage as malformed; a tampered copy as not authenticated.
//  - Settings that do not fit together are refused at start naming the key.
//  - identify: this charger's LEDs, or every charger's (all), flash for 10 s;
//    rebuild forgets the members and rediscovers them.
import dgram from 'node:dgram';
import { assert, run, evsedOnce } from './lib.mjs';
import { startGroup, KEY, groupStatus, waitFor } from './group.mjs';

run('group_security', async (t) => {
  for (const [sets, key] of [
    [['group.mode=auto', 'group.key=0123456789abcdef'], /group\.id/],
    [['group.mode=auto', 'group.id=x'], /group\.key/],
    [['group.mode=auto', 'group.id=x', 'group.key=short'], /group\.key: at least 16/],
    [['group.mode=master', 'group.id=x', `group.key=${KEY}`, 'group.balancing=dynamic', 'group.limit=60'], /group\.balancing: dynamic needs a site meter/],
    [['group.mode=auto', 'group.id=x', `group.key=${KEY}`, 'group.announce=2', 'group.offer_validity=1'], /group\.offer_validity/],
    [['group.mode=sometimes'], /group\.mode/],
    [['group.peers=localhost'], /group\.peers/],
    [['group.fallback=3'], /group\.fallback/],
  ]) {
    const r = await evsedOnce(sets.flatMap((s) => ['--set', s]), { cwd: t.dir });
    assert.equal(r.code, 2, `${sets.join(' ')}: exit ${r.code}: ${r.stderr}`);
    assert.match(r.stderr, key, `${sets.join(' ')}`);
    assert.ok(!r.stderr.includes(KEY), 'the key is never printed');
  }

  const tap = dgram.createSocket('udp4');
  const captured = [];
  tap.on('message', (m) => captured.push(m));
  await new Promise((r) => tap.bind(17505, '127.0.0.1', r));
  const ds = await startGroup(t, [
    // S-A also sends to a listener of the test (a wire tap).
    { serial: 'S-A', port: 17501, args: ['--set', 'group.peers=127.0.0.1:17502,127.0.0.1:17503,127.0.0.1:17504,127.0.0.1:17505'] },
    { serial: 'S-B', port: 17502 },
    { serial: 'S-X', port: 17503, key: 'not-the-right-key-at-all' },
    { serial: 'S-Y', port: 17504, group: 'site-b' },
  ], ['--set', 'profile=mq200']);
  const [a, b, x, y] = ds;
  const g = await waitFor('the intruders counted', async () => {
    const s = await groupStatus(a);
    return [s.messages.bad_auth > 0 && s.messages.other_group > 0, s];
  });
  assert.deepEqual(g.members.map((m) => m.id).sort(), ['S-A', 'S-B']);
  for (const s of [await groupStatus(x), await groupStatus(y)])
    assert.deepEqual(s.members.map((m) => m.id), [s.self], `${s.self} is alone`);
  assert.match(a.stderr, /dropped: not authenticated \(wrong group key or tampered\)/);
  assert.match(a.stderr, /dropped: another group id/);
  for (const d of ds) {
    assert.ok(!d.stderr.includes(KEY) && !d.stderr.includes('not-the-right-key'), 'no key in the log');
    const k = await d.config('group.key');
    assert.equal(k.value, '********');
    assert.equal(k.secret, true);
  }

  // Replayed, garbage and tampered datagrams, sent to S-B.
  await waitFor('a datagram captured', async () => [captured.length > 0, captured.length]);
  const before = (await groupStatus(b)).messages;
  const send = (buf) => new Promise((r) => tap.send(buf, 17502, '127.0.0.1', r));
  // The latest one: S-B has it already (S-B may have missed the first ones).
  await send(captured[captured.length - 1]);
  await send(Buffer.from('hello, is this the group?'));
  const bad = Buffer.from(captured[captured.length - 1]);
  bad[bad.length - 1] ^= 1;
  await send(bad);
  await send(Buffer.alloc(9000, 1));
  const after = await waitFor('replayed, malformed and tampered counted', async () => {
    const m = (await groupStatus(b)).messages;
    return [m.replayed > before.replayed && m.malformed >= before.malformed + 2 &&
      m.bad_auth > before.bad_auth, m];
  });
  assert.ok(after.received > 0);
  tap.close();
  assert.match(b.stderr, /dropped: replayed/);

  // Identify this charger only, then all of them.
  await b.ok('group', 'identify');
  assert.equal((await b.conn(1)).led, 'white-flashing');
  assert.notEqual((await a.conn(1)).led, 'white-flashing');
  assert.equal((await groupStatus(b)).identify, true);
  await a.ok('group', 'identify', 'all');
  await waitFor('every member flashes', async () => {
    const leds = [(await a.conn(1)).led, (await b.conn(1)).led, (await x.conn(1)).led];
    return [leds[0] === 'white-flashing' && leds[1] === 'white-flashing', leds];
  });
  assert.notEqual((await x.conn(1)).led, 'white-flashing', 'not the charger outside the group');
  await b.fails(2, /usage: group/, 'group', 'identify', 'everyone');

  // Rebuild: forgotten, then found again.
  const r = await b.ok('group', 'rebuild');
  assert.match(r, /rebuilt/);
  await waitFor('S-A found again', async () => {
    const s = await groupStatus(b);
    return [s.members.length === 2 && s.master === 'S-A', s.members.map((m) => m.id)];
  });
  assert.match(b.stderr, /group: rebuilt/);

  // Settings that must fit together are checked at run time too: refused,
  // named, nothing changed.
  await b.fails(1, /group\.offline_reserved: must be at least group\.fallback/,
    'config', 'set', 'group.fallback', '20');
  await b.fails(1, /group\.offline_reserved: must be at least group\.fallback/,
    'config', 'set', 'group.offline_reserved', '1');
  assert.notEqual((await b.config('group.offline_reserved')).source, 'runtime', 'a refused value is not stored');
  assert.equal(Number((await b.config('group.fallback')).value), 6, 'nor kept in memory');
});
