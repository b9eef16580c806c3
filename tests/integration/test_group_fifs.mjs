// SPDX-License-Identifier: MIT
// Group balancing (E5): three real MQ200 chargers on loopback reproduce the
// MQ200 manual's First In First Serve examples A and B (7.5.3) exactly in the
// current each one offers its EV, the EVs arriving one after the other:
//  A: 60 A grid, three 32 A stations: 32 / 32+28 / 32+28+0; when the first
//     EV leaves, the second gets 32 A and the third 28 A;
//  B: 100 A grid, group size 5 (two stations absent), offline_offline with
//     10 A reserved per absent station (= the fallback current):
//     32 / 32+32 / 32+32+16.
import { assert, run } from './lib.mjs';
import { startGroup, expectOffers, ev, setAll, groupStatus } from './group.mjs';

run('group_fifs', async (t) => {
  const ds = await startGroup(t, [
    { serial: 'MQ-A', port: 17201 },
    { serial: 'MQ-B', port: 17202 },
    { serial: 'MQ-C', port: 17203 },
  ], ['--set', 'profile=mq200', '--set', 'supply.phases=1']);
  await setAll(ds, 'charger.current_limit', 32);
  await setAll(ds, 'group.policy', 'fifs');
  await setAll(ds, 'group.limit', 60);

  // Example A: the EVs of B, C, A arrive in that order (arrival, not id, decides).
  const order = [1, 2, 0];
  const want = [[0, 32, 0], [0, 32, 28], [0, 32, 28]];
  for (let k = 0; k < 3; k++) {
    await ev(ds[order[k]]);
    await expectOffers(`example A, ${k + 1} vehicle(s)`, ds, want[k]);
  }
  const g = await groupStatus(ds[0]);
  assert.equal(g.policy, 'fifs');
  assert.equal(g.role, 'master');
  await ds[1].ok('unplug', '1');
  await expectOffers('example A, the first vehicle left', ds, [28, 0, 32]);
  for (const d of [ds[0], ds[2]]) await d.ok('unplug', '1');
  await expectOffers('example A: all left', ds, [0, 0, 0]);

  // Example B.
  await setAll(ds, 'group.limit', 100);
  await setAll(ds, 'group.size', 5);
  await setAll(ds, 'group.offline_strategy', 'offline_offline');
  await setAll(ds, 'group.offline_reserved', 10);
  await setAll(ds, 'group.fallback', 10);
  const wantB = [[32, 0, 0], [32, 32, 0], [32, 32, 16]];
  for (let k = 0; k < 3; k++) {
    await ev(ds[k]);
    await expectOffers(`example B, ${k + 1} vehicle(s)`, ds, wantB[k]);
  }
});
