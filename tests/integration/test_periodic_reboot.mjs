// SPDX-License-Identifier: MIT
// Periodic reboot (G6, MQ200 Reboot Period): with clock = sim, evsed restarts
// when reboot.period is over (status reboot.next says when), through the same
// path as a Reset (a clean stop, then the same process again); a running
// transaction is never cut: the reboot waits until it ends. A change at run
// time counts from the change; 0 never reboots; the MQ200's default is a week.
import { assert, freshDir, run, SIM } from './lib.mjs';

const readyCount = (d) => (d.stdout.match(/^ready in /gm) || []).length;

async function waitRestart(d, before) {
  for (let i = 0; i < 200 && readyCount(d) === before; i++)
    await new Promise((r) => setTimeout(r, 50));
  assert.equal(readyCount(d), before + 1, `evsed restarted once:\n${d.stderr}`);
  await d.waitReady();
}

run('periodic_reboot', async (t) => {
  // The MQ200's Reboot Period: 10080 min, a week after the start.
  let d = await t.start([...SIM, '--set', 'profile=mq200'], { dir: freshDir('periodic_reboot_mq200') });
  let s = await d.status();
  assert.deepEqual(s.reboot, { period_min: 10080, next: '2026-01-08T00:00:00Z', waiting_for_idle: false });
  await d.stop();

  // io7: never, until set at run time (counted from the change).
  d = await t.start([...SIM, '--set', 'auth.required=false']);
  s = await d.status();
  assert.deepEqual(s.reboot, { period_min: 0, next: null, waiting_for_idle: false });
  await d.fails(1, /reboot\.period: must be 0 \(never\) or 60-525600 minutes/, 'config', 'set', 'reboot.period', '30');
  await d.advance(600);
  await d.ok('config', 'set', 'reboot.period', '60');
  s = await d.status();
  assert.equal(s.reboot.next, '2026-01-01T01:10:00Z', JSON.stringify(s.reboot));

  // Due while an EV charges: it waits, the session goes on.
  await d.ok('plug', '1');
  await d.ok('ev', '1', 'charge');
  assert.equal((await d.conn(1)).state, 'Charging');
  const before = readyCount(d);
  await d.advance(3600);
  s = await d.status();
  assert.equal(s.reboot.waiting_for_idle, true, JSON.stringify(s.reboot));
  assert.equal(s.connectors[0].state, 'Charging', 'the session is not interrupted');
  assert.match(d.stderr, /periodic reboot due \(reboot\.period 60 min\): waiting until no transaction runs/);
  await d.advance(1800);
  assert.equal(readyCount(d), before, 'no restart while a transaction runs');
  assert.equal((await d.conn(1)).state, 'Charging');

  // The EV leaves: the session ends and evsed restarts through the Reset path.
  await d.ok('unplug', '1');
  await waitRestart(d, before);
  assert.match(d.stderr, /periodic reboot \(reboot\.period 60 min\): restarting/);
  assert.match(d.stderr, /evsed: restarting/);
  assert.equal(d.exited, null, 'the same process goes on');
  const h = await d.history();
  assert.equal(h.length, 1);
  assert.ok(h[0].end, 'the session ended with the EV, before the restart');
  assert.equal(h[0].stop_reason, 'EVDisconnected', JSON.stringify(h[0]));
  // The period is stored: counting again from the new start.
  s = await d.status();
  assert.equal(s.reboot.period_min, 60);
  assert.equal(s.reboot.next, '2026-01-01T01:00:00Z', JSON.stringify(s.reboot));

  // Idle when due: at once, and time stops at the reboot's instant.
  const again = readyCount(d);
  const out = await d.advance(7200);
  assert.match(out, /time is now 2026-01-01T01:00:00Z/, out);
  await waitRestart(d, again);

  // 0: never.
  await d.ok('config', 'set', 'reboot.period', '0');
  s = await d.status();
  assert.equal(s.reboot.next, null);
  const last = readyCount(d);
  await d.advance(400 * 24 * 3600 / 10);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(readyCount(d), last, 'no reboot with 0');
  await d.stop();
});
