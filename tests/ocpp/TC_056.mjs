// SPDX-License-Identifier: MIT
//
// OCTT TC_056_CS "Central Smart Charging - TxDefaultProfile" (C8).
// A TxDefaultProfile for connector 1 (relative: 10 A, then 8 A after 60 s)
// is Accepted before any transaction; the next transaction there is offered
// its limits from its start, minute by minute (limit reason "schedule"), and
// GetCompositeSchedule says the same. Connector 2 is not limited by it; a
// TxDefaultProfile for connector 0 (12 A) then applies to connector 2.
import { run, assert, booted, charging } from './lib/evsed.mjs';
import { composite, offer, periodsOf, profile, setProfile } from './lib/smart.mjs';

run('TC_056', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  assert.equal(await setProfile(csms, 1, profile({ id: 561, periods: [[0, 10], [60, 8]] })), 'Accepted');
  assert.deepEqual(await offer(ev, 1), [0, 'none'], 'nothing offered before a session');

  await charging(ev, csms, { conn: 1 });
  assert.deepEqual(await offer(ev, 1), [10, 'schedule']);
  assert.deepEqual(periodsOf(await composite(csms, 1, 300)), [[0, 10], [60, 8]]);
  await ev.advance(60);
  await csms.settle();
  assert.deepEqual(await offer(ev, 1), [8, 'schedule'], 'the second period from 60 s on');
  assert.deepEqual(periodsOf(await composite(csms, 1, 300)), [[0, 8]]);

  // Connector 2: not limited by connector 1's profile; connector 0's applies.
  assert.deepEqual(periodsOf(await composite(csms, 2, 300)), [[0, 32]]);
  assert.equal(await setProfile(csms, 0, profile({ id: 562, periods: [[0, 12]] })), 'Accepted');
  assert.deepEqual(periodsOf(await composite(csms, 2, 300)), [[0, 12]]);
  assert.deepEqual(periodsOf(await composite(csms, 1, 300)), [[0, 8]], 'a connector\'s own TxDefaultProfile wins');
  await charging(ev, csms, { conn: 2, idTag: 'CARD2' });
  assert.deepEqual(await offer(ev, 2), [12, 'schedule']);
  // The installer sees the installed profiles in the status.
  const profiles = (await ev.status()).charging_profiles;
  assert.deepEqual(profiles.map((p) => [p.id, p.connector, p.purpose, p.kind, p.unit]).sort(),
    [[561, 1, 'TxDefaultProfile', 'Relative', 'A'], [562, 0, 'TxDefaultProfile', 'Relative', 'A']]);
  assert.deepEqual(profiles.find((p) => p.id === 561).periods.map((x) => [x.start, x.limit]), [[0, 10], [60, 8]]);

  // The installer clears them locally (evsectl profiles clear, G3): as a
  // ClearChargingProfile without criteria, the offers follow at once, and
  // the clear is persisted.
  const listed = await ev.d.json('profiles');
  assert.equal(listed.csms, true);
  assert.deepEqual(listed.profiles.map((p) => p.id).sort(), [561, 562]);
  assert.match(await ev.ok('profiles'), /profile 561 {2}connector 1 {2}TxDefaultProfile {2}stack 0 {2}Relative {2}A/);
  assert.match(await ev.ok('profiles', 'clear'), /^2 charging profile\(s\) cleared/);
  assert.deepEqual((await ev.status()).charging_profiles, []);
  // Both sessions now share the charger's 32 A, no schedule.
  for (const conn of [1, 2]) assert.deepEqual(await offer(ev, conn), [16, 'installer'], `connector ${conn}`);
  assert.deepEqual(periodsOf(await composite(csms, 1, 300)), [[0, 32]]);
  assert.match(await ev.ok('profiles', 'clear'), /no charging profiles installed: nothing cleared/);
  await ev.fails(2, /usage: profiles/, 'profiles', 'remove');
  await ev.stop();
  await ev.restart();
  assert.deepEqual((await ev.status()).charging_profiles, [], 'the clear survives a restart');
  await ev.stop();
});
