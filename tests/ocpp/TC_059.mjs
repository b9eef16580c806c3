// SPDX-License-Identifier: MIT
//
// OCTT TC_059_CS "Remote Start Transaction with Charging Profile" (C8).
// RemoteStartTransaction for connector 1 with a TxProfile (relative, 8 A,
// 12 A after 120 s, no transactionId): Accepted; the EV plugs in, the
// transaction starts and is offered 8 A; GetCompositeSchedule (duration
// 300, A) is Accepted for connector 1, starts now and has the profile's
// periods. The profile is the transaction's: it goes with it.
import { run, assert, booted } from './lib/evsed.mjs';
import { composite, offer, periodsOf, profile } from './lib/smart.mjs';

run('TC_059', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const chargingProfile = profile({ id: 591, purpose: 'TxProfile', periods: [[0, 8], [120, 12]] });
  assert.deepEqual(await csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'REMOTE1', chargingProfile }),
    { status: 'Accepted' });
  const m = csms.mark();
  await ev.plug(1);
  await ev.ev(1, 'charge');
  const start = await csms.waitFor('StartTransaction', () => true, { since: m });
  await csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Charging', { since: m });
  await csms.settle();
  assert.deepEqual(await offer(ev, 1), [8, 'schedule']);
  assert.deepEqual(periodsOf(await composite(csms, 1, 300, 'A')), [[0, 8], [120, 12]]);
  await ev.advance(120);
  assert.deepEqual(await offer(ev, 1), [12, 'schedule']);

  await csms.call('RemoteStopTransaction', { transactionId: start.answer.transactionId });
  await csms.waitFor('StopTransaction', () => true, { since: m });
  await csms.settle();
  assert.deepEqual(periodsOf(await composite(csms, 1, 300, 'A')), [[0, 32]]);
  await ev.stop();
});
