// SPDX-License-Identifier: MIT
// Authorize first, then plug (A9 / B2): a card swiped with no EV waits
// ConnectionTimeOut for one; after that a plug does not start a session.
// Stop by the same card; unknown cards are refused.
import { assert, run, SIM } from './lib.mjs';

run('authorize_first', async (t) => {
  const d = await t.start(SIM);
  await d.ok('card', 'add', 'CARD1');
  const timeout = Number((await d.config('ConnectionTimeOut')).value);
  assert.ok(Number.isInteger(timeout) && timeout >= 10, `ConnectionTimeOut = ${timeout}`);

  // 1. Swipe first: pending.
  const sw = await d.json('swipe', 'CARD1');
  assert.equal(sw.result, 'pending', `swipe with no EV: ${JSON.stringify(sw)}`);
  let s = await d.status();
  assert.equal(s.pending_authorization, 'CARD1', 'status shows the pending authorization');
  for (const c of s.connectors) assert.equal(c.transaction_id, null, 'no session before the plug');

  // Plug well within the timeout: the session starts with the card.
  await d.advance(Math.floor(timeout / 2));
  assert.equal((await d.status()).pending_authorization, 'CARD1', 'still pending before the timeout');
  await d.ok('plug', '1');
  let c = await d.conn(1);
  assert.ok(c.transaction_id > 0, `plug after an authorization starts a session: ${JSON.stringify(c)}`);
  assert.equal(c.id_tag, 'CARD1');
  assert.equal((await d.status()).pending_authorization, null, 'the authorization is used up');
  await d.ok('ev', '1', 'charge');
  assert.equal((await d.conn(1)).state, 'Charging');
  await d.advance(60);
  await d.ok('unplug', '1');
  let h = await d.history();
  assert.equal(h.length, 1);
  assert.equal(h[0].start_mode, 'rfid');
  assert.equal(h[0].id_tag, 'CARD1');

  // 2. Swipe, then let ConnectionTimeOut pass: the plug starts nothing.
  const txt = await d.ok('swipe', 'CARD1');
  assert.match(txt, new RegExp(`within ${timeout} s`), `swipe message names the timeout: ${txt}`);
  assert.equal((await d.status()).pending_authorization, 'CARD1');
  await d.advance(timeout + 1);
  assert.equal((await d.status()).pending_authorization, null, 'authorization expired');
  await d.ok('plug', '1');
  c = await d.conn(1);
  assert.equal(c.state, 'Preparing', 'plugged after the timeout: waits for a card');
  assert.equal(c.transaction_id, null, 'no session after the timeout');
  await d.ok('ev', '1', 'charge');
  c = await d.conn(1);
  assert.notEqual(c.state, 'Charging');
  assert.equal(c.offered_a, 0);
  assert.equal(c.power_w, 0);

  // 3. Now the card starts the session on the waiting connector...
  const st = await d.json('swipe', 'CARD1');
  assert.equal(st.result, 'started');
  assert.equal(st.connector, 1);
  c = await d.conn(1);
  assert.equal(c.state, 'Charging');
  await d.advance(120);
  // ...and the same card stops it.
  const sp = await d.json('swipe', 'CARD1');
  assert.equal(sp.result, 'stopped', `same card again: ${JSON.stringify(sp)}`);
  c = await d.conn(1);
  assert.equal(c.state, 'Finishing', 'stopped, EV still plugged');
  assert.equal(c.transaction_id, null);
  assert.equal(c.power_w, 0);
  assert.equal(c.offered_a, 0);
  await d.advance(60);
  assert.equal((await d.conn(1)).state, 'Finishing', 'Finishing until the EV leaves');
  h = await d.history();
  assert.equal(h.length, 2);
  assert.equal(h[0].stop_reason, 'Local');
  assert.equal(h[0].stop_mode, 'rfid');
  assert.equal(h[0].start_mode, 'rfid');
  assert.ok(h[0].end, 'closed at the swipe');
  assert.ok(h[0].energy_wh > 0);
  await d.ok('unplug', '1');
  assert.equal((await d.conn(1)).state, 'Available');

  // 4. An unknown card is refused.
  const before = await d.status();
  const r = await d.fails(1, /not authori[sz]ed/, 'swipe', 'NOSUCHCARD');
  assert.match(r.stderr, /NOSUCHCARD/);
  s = await d.status();
  assert.equal(s.pending_authorization, null, 'a refused card authorizes nothing');
  await d.ok('plug', '2');
  assert.equal((await d.conn(2)).transaction_id, null, 'a refused card starts nothing');
  assert.equal(before.connectors[1].state, 'Available');

  await d.stop();
});
