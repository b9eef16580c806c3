// SPDX-License-Identifier: MIT
// Group balancing (E4): member loss under each io7 offline strategy. Three
// io7 chargers (two connectors, three-phase) share a 60 A group limit; one EV
// each on connector 1 gets 20 A. One charger is killed (a power cut): once
// the others stop hearing it (group.member_timeout) it is offline and the
// master applies group.offline_strategy to the two left:
//   zero_all 0 A, min_all 6 A, offline_all group.offline_reserved (10 A),
//   offline_offline (60 - 10) / 2 = 25 A.
// When it comes back, the three share again.
import { assert, run } from './lib.mjs';
import { startGroup, expectOffers, ev, setAll, groupStatus, waitFor } from './group.mjs';

run('group_offline', async (t) => {
  const nodes = [
    { serial: 'IO7-A', port: 17301 },
    { serial: 'IO7-B', port: 17302 },
    { serial: 'IO7-C', port: 17303 },
  ];
  const ds = await startGroup(t, nodes, ['--set', 'profile=io7']);
  await setAll(ds, 'group.limit', 60);
  await setAll(ds, 'group.offline_reserved', 10);
  for (const d of ds) await ev(d);
  await expectOffers('three EVs', ds, [20, 20, 20]);
  const g = await groupStatus(ds[0]);
  assert.equal(g.members.length, 3);
  for (const m of g.members) {
    assert.equal(m.connectors.length, 2, 'both io7 connectors are in the table');
    assert.deepEqual(m.connectors[0].phases, ['L1', 'L2', 'L3']);
    assert.equal(m.connectors[1].wants, false);
  }

  await ds[2].killHard();
  const left = ds.slice(0, 2);
  await waitFor('charger IO7-C offline', async () => {
    const s = await groupStatus(ds[0]);
    const c = s.members.find((m) => m.id === 'IO7-C');
    return [c && !c.online, s.members];
  });
  for (const [strategy, a] of [['zero_all', 0], ['min_all', 6], ['offline_all', 10], ['offline_offline', 25]]) {
    await setAll(left, 'group.offline_strategy', strategy);
    await expectOffers(`IO7-C offline, ${strategy}`, left, [a, a]);
    const st = await left[1].status();
    assert.equal(st.connectors[0].limit_reason, 'group', strategy);
  }
  assert.match(ds[0].stderr, /group: charger IO7-C is offline/);

  // Back: the three share the limit again.
  const back = await t.start(ds[2].args, { dir: ds[2].dir });
  await ev(back).catch(() => {}); // the EV may still be plugged in after the cut
  await expectOffers('IO7-C back', [ds[0], ds[1], back], [20, 20, 20], 10000);
});
