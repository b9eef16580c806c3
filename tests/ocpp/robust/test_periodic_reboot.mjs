// SPDX-License-Identifier: MIT
//
// Periodic reboot (G6, reboot.period) with a CSMS: due while a transaction
// runs, evsed waits (no StopTransaction, no new BootNotification); when the
// EV leaves, the transaction ends (EVDisconnected), evsed tells the CSMS why
// (SecurityEventNotification ResetOrReboot: OCPP 1.6's BootNotification has
// no reason) and restarts through the Reset path: the same process, a new
// connection and BootNotification.

import { run, assert, booted, charging, none } from '../lib/evsed.mjs';

run('periodic_reboot_ocpp', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms, { args: ['--set', 'reboot.period=60'] });
  await booted(csms, 2);
  const { tx } = await charging(ev, csms);

  let m = csms.mark();
  await ev.advanceSteps(3600, 300); // the CSMS answers between steps
  await csms.settle();
  let st = await ev.status();
  assert.equal(st.reboot.waiting_for_idle, true, JSON.stringify(st.reboot));
  assert.equal(st.connectors[0].state, 'Charging');
  none(csms, 'StopTransaction', m, () => true, 'the session is not cut');
  none(csms, 'BootNotification', m, () => true, 'no restart while charging');

  m = csms.mark();
  const pid = ev.pid;
  const conns = csms.connections;
  await ev.unplug(1);
  const stop = await csms.waitFor('StopTransaction', () => true, { since: m });
  assert.equal(stop.payload.transactionId, tx);
  assert.equal(stop.payload.reason, 'EVDisconnected');
  await csms.waitConnected(conns + 1);
  const boot = await csms.waitFor('BootNotification', () => true, { since: m });
  assert.ok(boot.n > stop.n, 'the restart comes after the StopTransaction');
  const sec = await csms.waitFor('SecurityEventNotification', (p) => p.type === 'ResetOrReboot', { since: m });
  assert.match(sec.payload.techInfo, /^periodic reboot \(reboot\.period 60 min\)$/);
  assert.equal(ev.pid, pid, 'evsed restarted itself (same process, re-executed)');
  await booted(csms, 2, boot.n);
  await ev.d.waitReady();
  st = await ev.status();
  assert.equal(st.reboot.period_min, 60);
  assert.equal(st.reboot.waiting_for_idle, false);
  await ev.stop();
});
