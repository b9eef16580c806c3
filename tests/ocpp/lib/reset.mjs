// SPDX-License-Identifier: MIT
//
// OCTT TC_013 / TC_014 "Reset Without Transaction" (C2), Hard or Soft: the
// same scenario, the Reset type aside.
// ChangeAvailability connector 1 Inoperative (Accepted, Unavailable);
// Reset (Accepted): evsed restarts (the connection drops, a new
// BootNotification); after the boot connector 1 is still Unavailable (the
// availability persists), the others Available; ChangeAvailability
// Operative makes it Available again.
import { run, assert, booted } from './evsed.mjs';

export function resetWithoutTransaction(name, type) {
  run(name, async (t) => {
    const csms = await t.csms();
    const ev = await t.evsed(csms);
    await booted(csms, 2);

    let m = csms.mark();
    assert.deepEqual(await csms.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' }),
      { status: 'Accepted' });
    const un = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
    assert.equal(un.payload.status, 'Unavailable');
    csms.assertAfterAnswer(un);
    await csms.settle();

    m = csms.mark();
    const pid = ev.pid;
    assert.deepEqual(await csms.call('Reset', { type }), { status: 'Accepted' });
    await csms.waitConnected(2);
    const boot = await csms.waitFor('BootNotification', () => true, { since: m });
    assert.equal(ev.pid, pid, 'evsed restarted itself (same process, re-executed)');
    const sn = {};
    for (const c of [0, 1, 2])
      sn[c] = (await csms.waitFor('StatusNotification', (p) => p.connectorId === c, { since: boot.n })).payload.status;
    assert.deepEqual(sn, { 0: 'Available', 1: 'Unavailable', 2: 'Available' }, 'availability survives the reset');
    await csms.settle();
    await ev.d.waitReady();

    m = csms.mark();
    assert.deepEqual(await csms.call('ChangeAvailability', { connectorId: 1, type: 'Operative' }),
      { status: 'Accepted' });
    const av = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
    assert.equal(av.payload.status, 'Available');
    await ev.stop();
  });
}
