// SPDX-License-Identifier: MIT
//
// OCTT TC_072_CS "Stacking Charging Profiles" (C8). Two absolute
// TxDefaultProfiles on connector 1, valid from now to 401 s on: stack level
// 0 (6 A, 8 A from 100 s, 10 A from 200 s, for 400 s) and stack level 1
// (10 A, 6 A from 100 s, for 150 s). The composite schedule for 400 s
// follows level 1 while it lasts, then level 0: 10, 6, 8 (150 s), 10
// (200 s). A transaction started then is offered exactly that.
import { run, assert, booted, charging } from './lib/evsed.mjs';
import { at, composite, offer, periodsOf, profile, setProfile } from './lib/smart.mjs';

run('TC_072', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const common = { kind: 'Absolute', validFrom: at(csms), validTo: at(csms, 401), start: at(csms) };
  assert.equal(await setProfile(csms, 1, profile({
    id: 721, stack: 0, duration: 400, periods: [[0, 6], [100, 8], [200, 10]], ...common,
  })), 'Accepted');
  assert.equal(await setProfile(csms, 1, profile({
    id: 722, stack: 1, duration: 150, periods: [[0, 10], [100, 6]], ...common,
  })), 'Accepted');
  assert.deepEqual(periodsOf(await composite(csms, 1, 400, 'A')), [[0, 10], [100, 6], [150, 8], [200, 10]]);

  await charging(ev, csms, { conn: 1 });
  assert.deepEqual(await offer(ev, 1), [10, 'schedule']);
  for (const [s, amps] of [[100, 6], [50, 8], [50, 10]]) {
    await ev.advance(s);
    assert.deepEqual(await offer(ev, 1), [amps, 'schedule']);
  }
  await ev.advance(201);
  assert.deepEqual(await offer(ev, 1), [32, 'hardware'], 'past validTo');
  await ev.stop();
});
