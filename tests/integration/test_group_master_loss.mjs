// SPDX-License-Identifier: MIT
// Group balancing (E4 E5): the master is lost.
//  - auto: three chargers, the master (lowest id) is killed. Within the offer
//    validity the others fall back to the fallback current the master pushed
//    (8 A, their own setting is 6 A); once the master is not heard for
//    group.member_timeout the next lowest id is elected and offers again
//    (offline_offline: 10 A kept for the lost one, 25 A each).
//  - forced master with members (MQ200 Gateway / Clients): the members fall
//    back and stay there; a member is never elected.
import { assert, run } from './lib.mjs';
import { startGroup, expectOffers, ev, setAll, groupStatus, waitFor } from './group.mjs';

run('group_master_loss', async (t) => {
  const slow = ['--set', 'group.member_timeout=4'];
  const ds = await startGroup(t, [
    { serial: 'M-A', port: 17401, args: slow },
    { serial: 'M-B', port: 17402, args: slow },
    { serial: 'M-C', port: 17403, args: slow },
  ], ['--set', 'profile=mq200', '--set', 'supply.phases=1']);
  await setAll(ds, 'group.limit', 60);
  await setAll(ds, 'group.offline_reserved', 10);
  await ds[0].ok('config', 'set', 'group.fallback', '8');
  for (const d of ds) await ev(d);
  await expectOffers('three EVs', ds, [20, 20, 20]);
  const before = await groupStatus(ds[1]);
  assert.equal(before.master, 'M-A');
  assert.equal(before.fallback_a, 8, 'the fallback is the master\'s');

  const t0 = Date.now();
  await ds[0].killHard();
  const rest = ds.slice(1);
  await expectOffers('the master lost: the fallback', rest, [8, 8], 3000);
  const fellBack = (Date.now() - t0) / 1000;
  assert.ok(fellBack <= 1.5 + 1.0, `fell back after ${fellBack} s (validity 1.5 s)`);
  const mid = await groupStatus(ds[1]);
  assert.equal(mid.offer_valid, false);
  assert.equal((await ds[1].conn(1)).limit_reason, 'group');
  // A new master once M-A is not heard for 4 s.
  await waitFor('M-B elected', async () => {
    const s = await groupStatus(ds[2]);
    return [s.master === 'M-B', s];
  }, 8000);
  await expectOffers('M-B master', rest, [25, 25]);
  assert.match(ds[1].stderr, /group: master is M-B \(this charger\)/);

  // Gateway and clients.
  const gw = await startGroup(t, [
    { serial: 'GW', mode: 'master', port: 17411 },
    { serial: 'CL-A', mode: 'member', port: 17412 },
  ], ['--set', 'profile=mq200', '--set', 'supply.phases=1']);
  await setAll(gw, 'group.limit', 20);
  for (const d of gw) await ev(d);
  await expectOffers('gateway and client', gw, [10, 10]);
  const cs = await groupStatus(gw[1]);
  assert.equal(cs.master, 'GW', 'a forced master leads though its id is higher');
  await gw[0].killHard();
  await expectOffers('gateway lost: the fallback', [gw[1]], [6], 3000);
  await new Promise((r) => setTimeout(r, 2000));
  const after = await groupStatus(gw[1]);
  assert.equal(after.master, null, 'a member is never elected');
  assert.equal(after.role, 'none');
  assert.equal((await gw[1].conn(1)).offered_a, 6);
});
