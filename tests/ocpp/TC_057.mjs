// SPDX-License-Identifier: MIT
//
// OCTT TC_057_CS "Central Smart Charging - TxProfile" (C8).
// Charging on connector 1: a TxProfile for the running transaction is
// Accepted and followed at once, both kinds OCTT sends: Absolute (validFrom,
// validTo, startSchedule and duration given: 14 A then 9 A, then back to no
// limit after its duration) and Relative (from the transaction's start).
// When the transaction ends its TxProfile is gone.
import { run, assert, booted, charging } from './lib/evsed.mjs';
import { at, composite, offer, periodsOf, profile, setProfile } from './lib/smart.mjs';

run('TC_057', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const { tx } = await charging(ev, csms, { conn: 1 });
  assert.deepEqual(await offer(ev, 1), [32, 'hardware']);

  const abs = profile({
    id: 571, purpose: 'TxProfile', kind: 'Absolute', tx, validFrom: at(csms, -10),
    validTo: at(csms, 3600), start: at(csms), duration: 120, periods: [[0, 14], [60, 9]],
  });
  assert.equal(await setProfile(csms, 1, abs), 'Accepted');
  assert.deepEqual(await offer(ev, 1), [14, 'schedule']);
  assert.deepEqual(periodsOf(await composite(csms, 1, 300)), [[0, 14], [60, 9], [120, 32]]);
  await ev.advance(60);
  assert.deepEqual(await offer(ev, 1), [9, 'schedule']);
  await ev.advance(60);
  assert.deepEqual(await offer(ev, 1), [32, 'hardware'], 'its duration is over');

  // Relative, stack level 1: from the transaction's start, 120 s ago.
  const rel = profile({ id: 572, purpose: 'TxProfile', stack: 1, tx, periods: [[0, 6], [180, 11]] });
  assert.equal(await setProfile(csms, 1, rel), 'Accepted');
  assert.deepEqual(await offer(ev, 1), [6, 'schedule']);
  assert.deepEqual(periodsOf(await composite(csms, 1, 300)), [[0, 6], [60, 11]]);

  await csms.call('RemoteStopTransaction', { transactionId: tx });
  await csms.waitFor('StopTransaction', () => true);
  await csms.settle();
  assert.deepEqual(periodsOf(await composite(csms, 1, 300)), [[0, 32]], 'the TxProfiles ended with the transaction');
  await ev.stop();
});
