// SPDX-License-Identifier: MIT
// Free charging (A10, io7 Default Id Tag mode): with auth.required = false a
// plug starts a session with auth.default_id_tag, no card needed.
import fs from 'node:fs';
import path from 'node:path';
import { assert, run, SIM, near } from './lib.mjs';

async function freeSession(t, dir, extra, tag) {
  const d = await t.start([...SIM, '--set', 'auth.required=false', ...extra], { dir });
  assert.equal((await d.config('auth.required')).value, 'false');
  let c = await d.conn(1);
  assert.equal(c.transaction_id, null, 'nothing before the plug');
  assert.equal(c.state, 'Available');

  await d.ok('plug', '1');
  c = await d.conn(1);
  assert.ok(c.transaction_id > 0, `plug starts a session: ${JSON.stringify(c)}`);
  assert.equal(c.id_tag, tag);
  await d.ok('ev', '1', 'charge');
  c = await d.conn(1);
  assert.equal(c.state, 'Charging');
  assert.equal(c.offered_a, 32);
  await d.advance(900);
  c = await d.conn(1);
  near(c.power_w, 22080, 0.01, 'power');
  near(c.session_energy_wh ?? c.energy_wh, 5520, 0.01, 'energy after 15 min');
  await d.ok('unplug', '1');
  assert.equal((await d.conn(1)).state, 'Available');

  const h = await d.history();
  assert.equal(h.length, 1);
  assert.equal(h[0].start_mode, 'free');
  assert.equal(h[0].id_tag, tag);
  assert.equal(h[0].stop_reason, 'EVDisconnected');
  near(h[0].energy_wh, 5520, 0.01, 'session energy');
  assert.deepEqual((await d.json('card', 'list')).cards, [], 'no card was needed');
  await d.stop();
}

run('free_charging', async (t) => {
  const a = path.join(t.dir, 'a');
  const b = path.join(t.dir, 'b');
  fs.mkdirSync(a);
  fs.mkdirSync(b);
  await freeSession(t, a, [], 'default');
  await freeSession(t, b, ['--set', 'auth.default_id_tag=HOME'], 'HOME');
});
