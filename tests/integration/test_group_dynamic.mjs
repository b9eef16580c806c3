// SPDX-License-Identifier: MIT
// Group balancing (E4): dynamic balancing against the master's site meter.
// The master (forced) has the simulated site meter; the group limit (60 A)
// minus the other loads it measures is shared by the EVs of two chargers; an
// export (negative reading) never raises the limit.
import { assert, run } from './lib.mjs';
import { startGroup, expectOffers, ev, groupStatus } from './group.mjs';

run('group_dynamic', async (t) => {
  const common = ['--set', 'profile=mq200', '--set', 'supply.phases=1',
    '--set', 'group.balancing=dynamic', '--set', 'group.limit=60'];
  const ds = await startGroup(t, [
    { serial: 'D-M', mode: 'master', port: 17701, args: ['--set', 'meter.site=sim'] },
    { serial: 'D-C', mode: 'member', port: 17702 },
  ], common);
  for (const d of ds) await ev(d);
  await expectOffers('no other loads', ds, [30, 30]);
  await ds[0].ok('load', '20');
  await expectOffers('20 A of other loads', ds, [20, 20]);
  await ds[0].ok('load', '-10');
  await expectOffers('an export never raises the limit', ds, [30, 30]);
  await ds[0].ok('load', '55');
  await expectOffers('5 A left: below the minimum for both', ds, [0, 0]);
  assert.equal((await groupStatus(ds[1])).balancing, 'dynamic');
});
