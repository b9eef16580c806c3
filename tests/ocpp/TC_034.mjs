// SPDX-License-Identifier: MIT
//
// OCTT TC_034_CS "Power Failure with Unavailable Status" (C2).
// ChangeAvailability connector 0 Inoperative: Accepted, every connector and
// connector 0 Unavailable. The power goes (kill -9) and comes back: after
// the BootNotification every connector is still Unavailable.
// Beforehand (same persisted availability): while connector 1 charges,
// ChangeAvailability connector 0 Inoperative answers Scheduled; the
// transaction is not stopped; it becomes Unavailable once it ends.
// ChangeAvailability Operative finally makes everything Available.
import { run, assert, booted, charging, statuses, none } from './lib/evsed.mjs';

run('TC_034', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);

  // Scheduled while a transaction runs.
  const { tx } = await charging(ev, csms);
  let m = csms.mark();
  assert.deepEqual(await csms.call('ChangeAvailability', { connectorId: 0, type: 'Inoperative' }),
    { status: 'Scheduled' });
  await ev.advanceSteps(30, 30);
  none(csms, 'StopTransaction', m, () => true, 'a scheduled change does not stop the transaction');
  assert.equal((await ev.conn(1)).state, 'Charging');
  m = csms.mark();
  await ev.unplug(1);
  const stop = await csms.waitFor('StopTransaction', () => true, { since: m });
  assert.equal(stop.payload.transactionId, tx);
  assert.equal(stop.payload.reason, 'EVDisconnected');
  for (const c of [0, 1, 2])
    await csms.waitFor('StatusNotification', (p) => p.connectorId === c && p.status === 'Unavailable');
  await csms.settle();
  assert.equal(statuses(csms, 1, m).at(-1), 'Unavailable');

  // Accepted when nothing runs; persisted across a power cut.
  m = csms.mark();
  assert.deepEqual(await csms.call('ChangeAvailability', { connectorId: 0, type: 'Inoperative' }),
    { status: 'Accepted' });
  await ev.killHard();
  await csms.until(() => !csms.connected || undefined, 'the connection to drop');
  m = csms.mark();
  await ev.restart();
  const sn = {};
  for (const c of [0, 1, 2])
    sn[c] = (await csms.waitFor('StatusNotification', (p) => p.connectorId === c, { since: m })).payload.status;
  assert.deepEqual(sn, { 0: 'Unavailable', 1: 'Unavailable', 2: 'Unavailable' });
  await csms.settle();

  // Unavailable: a card starts nothing.
  await ev.plug(2);
  await ev.ctl('swipe', 'CARD1');
  await csms.settle();
  none(csms, 'StartTransaction', m);
  await ev.unplug(2);
  await csms.settle();

  m = csms.mark();
  assert.deepEqual(await csms.call('ChangeAvailability', { connectorId: 0, type: 'Operative' }),
    { status: 'Accepted' });
  for (const c of [0, 1, 2]) {
    const f = await csms.waitFor('StatusNotification', (p) => p.connectorId === c, { since: m });
    assert.equal(f.payload.status, 'Available', `connector ${c}`);
    csms.assertAfterAnswer(f);
  }
  await ev.stop();
});
