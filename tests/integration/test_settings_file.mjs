// SPDX-License-Identifier: MIT
// The settings file (-c): `key = value` lines, `#` comments, blank lines and
// `[section]` headers that prefix the keys of their section.
import fs from 'node:fs';
import path from 'node:path';
import { assert, run } from './lib.mjs';

run('settings_file', async (t) => {
  const file = path.join(t.dir, 'evsed.conf');
  fs.writeFileSync(file, [
    '# evsed settings for the integration test',
    '',
    'clock = sim',
    '  # an indented comment',
    'clock.sim_start = 2026-01-01T00:00:00Z',
    'charger.current_limit = 25',
    '',
    '[ocpp]',
    '# the CSMS (nothing listens on port 9)',
    'url = ws://localhost:9/ocpp',
    '   id   =   CP1   ',
    '',
    '[auth]',
    'default_id_tag = FILETAG',
    '',
  ].join('\n'));

  const d = await t.start(['-c', file]);
  let g = await d.config('ocpp.url');
  assert.equal(g.value, 'ws://localhost:9/ocpp');
  assert.equal(g.source, 'file');
  g = await d.config('ocpp.id');
  assert.equal(g.value, 'CP1', 'spaces around key and value are not part of them');
  assert.equal(g.source, 'file');
  g = await d.config('auth.default_id_tag');
  assert.equal(g.value, 'FILETAG', 'a second section');
  g = await d.config('charger.current_limit');
  assert.equal(Number(g.value), 25, 'a key before any section has no prefix');
  assert.equal(g.source, 'file');
  assert.equal((await d.config('clock')).value, 'sim');
  assert.equal((await d.config('ocpp.password')).source, 'default', 'keys not in the file keep their defaults');

  const s = await d.status();
  assert.equal(s.time, '2026-01-01T00:00:00Z', 'clock settings from the file apply');
  assert.equal(s.ocpp.url, 'ws://localhost:9/ocpp', 'status shows the CSMS URL');
  assert.equal(s.ocpp.connected, false, 'nothing listens there');

  // The file's limit is in force.
  await d.ok('card', 'add', 'CARD1');
  await d.ok('plug', '1');
  await d.ok('swipe', 'CARD1');
  await d.ok('ev', '1', 'charge');
  const c = await d.conn(1);
  assert.equal(c.offered_a, 25);
  assert.equal(c.limit_reason, 'installer');
  await d.stop();

  // --set wins over the file.
  const d2 = await t.start(['-c', file, '--set', 'ocpp.id=CP2']);
  g = await d2.config('ocpp.id');
  assert.equal(g.value, 'CP2');
  assert.equal(g.source, 'command line');
  assert.equal((await d2.config('ocpp.url')).value, 'ws://localhost:9/ocpp');
  await d2.stop();

  // --data-dir puts the store and the control socket there.
  const alt = path.join(t.dir, 'elsewhere');
  const d3 = await t.start(['-c', file, '--data-dir', 'elsewhere'], { sock: './elsewhere/evsed.sock' });
  assert.equal((await d3.config('data_dir')).value, 'elsewhere');
  await d3.ok('card', 'add', 'ALTCARD');
  assert.ok(fs.existsSync(path.join(alt, 'evsed.sock')), 'control socket in the data dir');
  await d3.stop();
  assert.ok(fs.readdirSync(alt).some((f) => f.startsWith('evsed.db')), `store in the data dir: ${fs.readdirSync(alt)}`);
  assert.ok(!fs.existsSync(path.join(alt, 'evsed.sock')), 'control socket removed on a clean stop');
  // The default data dir (./var, used above) did not get the card.
  const d4 = await t.start(['-c', file]);
  assert.deepEqual((await d4.json('card', 'list')).cards, ['CARD1']);
  await d4.stop();
});
