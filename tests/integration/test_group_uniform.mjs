// SPDX-License-Identifier: MIT
// Group balancing (E5): three real MQ200 chargers on loopback reproduce the
// MQ200 manual's Uniform Distribution examples 1, 2 and 3 (7.5.3) exactly in
// the current each one offers its EV, as the EVs arrive one after the other:
//  1: 60 A grid, three 32 A stations: 32 / 30+30 / 20+20+20;
//  2: the same with a 16 A third station: 32 / 30+30 / 24+24+12;
//  3: 80 A grid, group size 5 (two stations absent), offline_offline with
//     10 A reserved per absent station (= the fallback current): as example 1.
import { assert, run } from './lib.mjs';
import { startGroup, expectOffers, ev, setAll, groupStatus } from './group.mjs';

const MQ200_1PH = ['--set', 'profile=mq200', '--set', 'supply.phases=1'];

async function example(ds, name, want) {
  for (let k = 0; k < 3; k++) {
    await ev(ds[k]);
    await expectOffers(`${name}, ${k + 1} vehicle(s)`, ds, want[k]);
  }
  for (const d of ds) await d.ok('unplug', '1');
  await expectOffers(`${name}: all left`, ds, [0, 0, 0]);
}

run('group_uniform', async (t) => {
  const ds = await startGroup(t, [
    { serial: 'MQ-A', port: 17101 },
    { serial: 'MQ-B', port: 17102 },
    { serial: 'MQ-C', port: 17103 },
  ], MQ200_1PH);
  // Run-time settings (a --set would fix them for the run).
  await setAll(ds, 'charger.current_limit', 32);
  await setAll(ds, 'group.policy', 'uniform');
  await setAll(ds, 'group.limit', 60);
  // Everybody sees everybody; the lowest id is the master.
  for (const d of ds) {
    const g = await groupStatus(d);
    assert.equal(g.mode, 'auto');
    assert.equal(g.id, 'site-a');
  }
  await expectOffers('idle', ds, [0, 0, 0]);

  await example(ds, 'example 1', [[32, 0, 0], [30, 30, 0], [20, 20, 20]]);
  const g = await groupStatus(ds[2]);
  assert.equal(g.master, 'MQ-A');
  assert.equal(g.role, 'member');
  assert.equal(g.members.length, 3);
  assert.ok(g.members.every((m) => m.online), JSON.stringify(g.members));

  await ds[2].ok('config', 'set', 'charger.current_limit', '16');
  await example(ds, 'example 2', [[32, 0, 0], [30, 30, 0], [24, 24, 12]]);
  await ds[2].ok('config', 'set', 'charger.current_limit', '32');

  await setAll(ds, 'group.limit', 80);
  await setAll(ds, 'group.size', 5);
  await setAll(ds, 'group.offline_strategy', 'offline_offline');
  await setAll(ds, 'group.offline_reserved', 10);
  await setAll(ds, 'group.fallback', 10);
  await example(ds, 'example 3', [[32, 0, 0], [30, 30, 0], [20, 20, 20]]);

  // The status table: requested, offered and used per connector.
  for (const d of ds) await ev(d);
  await expectOffers('example 3 again', ds, [20, 20, 20]);
  const s = await groupStatus(ds[0]);
  assert.equal(s.role, 'master');
  for (const m of s.members) {
    const c = m.connectors[0];
    assert.deepEqual(c.phases, ['L1']);
    assert.equal(c.wants, true);
    assert.equal(c.requested_a, 32);
    assert.equal(c.offered_a, 20);
  }
  const st = await ds[1].status();
  assert.equal(st.connectors[0].limit_reason, 'group');
  const human = await ds[0].ok('group', 'status');
  assert.match(human, /MQ-A\* \(me\)/);
});
