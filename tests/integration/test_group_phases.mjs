// SPDX-License-Identifier: MIT
// Group balancing (E6): phase-aware. Three single-phase MQ200 chargers in a
// 15 A group: all on L1 they share it (the third waits: 5 A is below the
// IEC minimum, so 7.5 + 7.5 + 0); wired to L1, L2 and L3 (ConnectorPhaseRotation
// RST, STR, TRS) each has its own 15 A.
import { assert, run } from './lib.mjs';
import { startGroup, expectOffers, ev, setAll, groupStatus, waitFor } from './group.mjs';

run('group_phases', async (t) => {
  const ds = await startGroup(t, [
    { serial: 'P-A', port: 17601 },
    { serial: 'P-B', port: 17602 },
    { serial: 'P-C', port: 17603 },
  ], ['--set', 'profile=mq200', '--set', 'supply.phases=1']);
  await setAll(ds, 'group.limit', 15);
  // One after the other, each heard by the master before the next arrives:
  // the order decides who waits (the rotation keeps the served ones).
  const want = [[15, 0, 0], [7.5, 7.5, 0], [7.5, 7.5, 0]];
  for (let k = 0; k < 3; k++) {
    await ev(ds[k]);
    if (k < 2) await expectOffers(`all on L1, ${k + 1} vehicle(s)`, ds, want[k]);
  }
  await waitFor('the third EV asks', async () => {
    const g = await groupStatus(ds[0]);
    const c = g.members.find((m) => m.id === 'P-C')?.connectors[0];
    return [c?.wants === true, c];
  });
  await expectOffers('all on L1', ds, [7.5, 7.5, 0]);
  await ds[1].ok('config', 'set', 'ConnectorPhaseRotation', '1.STR');
  await ds[2].ok('config', 'set', 'ConnectorPhaseRotation', '1.TRS');
  await expectOffers('on L1, L2, L3', ds, [15, 15, 15]);
  const g = await groupStatus(ds[0]);
  const phases = Object.fromEntries(g.members.map((m) => [m.id, m.connectors[0].phases]));
  assert.deepEqual(phases, { 'P-A': ['L1'], 'P-B': ['L2'], 'P-C': ['L3'] });
});
