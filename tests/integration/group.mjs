// SPDX-License-Identifier: MIT
//
// Helpers of the group balancing tests (test_group_*.mjs): several real evsed
// on loopback, each in its own directory with its own control socket and UDP
// port, finding each other through group.peers. Short protocol timings keep
// the tests fast.
import fs from 'node:fs';
import path from 'node:path';
import { assert } from './lib.mjs';

export const KEY = 'correct-horse-battery-staple';
export const FAST = [
  '--set', 'group.announce=0.2',
  '--set', 'group.offer_validity=1.5',
  '--set', 'group.member_timeout=1.5',
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Start one evsed per node: {serial, mode, port, args: [...]}; every node
 * lists all the others as peers. common: --set options for all.
 */
export async function startGroup(t, nodes, common = []) {
  const ds = [];
  for (const n of nodes) {
    const dir = path.join(t.dir, n.serial);
    fs.mkdirSync(dir, { recursive: true });
    const peers = nodes.filter((x) => x !== n).map((x) => `127.0.0.1:${x.port}`).join(',');
    const args = [
      '--set', 'auth.required=false',
      '--set', `charger.serial=${n.serial}`,
      '--set', `group.mode=${n.mode || 'auto'}`,
      '--set', `group.id=${n.group || 'site-a'}`,
      '--set', `group.key=${n.key || KEY}`,
      '--set', `group.port=${n.port}`,
      '--set', `group.peers=${peers}`,
      ...FAST, ...common, ...(n.args || []),
    ];
    const d = await t.start(args, { dir });
    d.serial = n.serial;
    ds.push(d);
  }
  return ds;
}

/** Poll fn (async, returns [ok, detail]) until ok, at most ms. */
export async function waitFor(what, fn, ms = 6000) {
  const until = Date.now() + ms;
  let detail;
  for (;;) {
    const [ok, d] = await fn();
    detail = d;
    if (ok) return d;
    if (Date.now() > until) break;
    await sleep(100);
  }
  assert.fail(`${what}: not within ${ms} ms; last: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`);
}

/** The offered current of connector 1 of every daemon. */
export async function offers(ds, conn = 1) {
  const out = [];
  for (const d of ds) {
    const c = await d.conn(conn);
    out.push(c.offered_a);
  }
  return out;
}

/** Wait until connector 1 of the daemons is offered exactly want[i] A. */
export async function expectOffers(what, ds, want, ms = 6000) {
  return waitFor(`${what}: offered ${JSON.stringify(want)} A`, async () => {
    const got = await offers(ds);
    const ok = got.every((a, i) => Math.abs(a - want[i]) < 1e-6);
    return [ok, `offered ${JSON.stringify(got)}`];
  }, ms);
}

export function groupStatus(d) { return d.json('group', 'status'); }

/** An EV plugs into connector 1 and charges. */
export async function ev(d, conn = 1) {
  await d.ok('plug', String(conn));
  await d.ok('ev', String(conn), 'charge');
}

/** Set a setting on every daemon at run time. */
export async function setAll(ds, key, value) {
  for (const d of ds) await d.ok('config', 'set', key, String(value));
}
