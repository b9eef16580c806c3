// SPDX-License-Identifier: MIT
// Site load management (E2 E3) with the simulated site meter: in dynamic mode
// the charger takes what the site limit minus the margin leaves after the
// other loads, per phase. Under a seeded random walk of the other loads, with
// two EVs charging, the site meter never reads more than the limit minus the
// margin (unless the other loads alone are over it: then the charger draws
// nothing); a rise of the other loads is answered at once, a fall only after
// lm.reeval_time; the offers name load_management when it binds. Also:
// `evsectl load` without a site meter is refused, a bad lm.mode at start is
// refused naming the key.
import fs from 'node:fs';
import path from 'node:path';
import { assert, run, SIM, evsedOnce } from './lib.mjs';

const LIMIT = 40;
const MARGIN = 2;
const REEVAL_S = 10;
const EPS = 0.06 + 1e-6; // the simulated EV draws its offer to 0.05 A

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkSite(s, other, w) {
  const lm = s.load_management;
  assert.equal(lm.mode, 'dynamic', w);
  for (let p = 0; p < 3; p++) {
    const draw = s.connectors.reduce((n, c) => n + c.current_a[p], 0);
    assert.ok(Math.abs(lm.site_a[p] - (other[p] + draw)) < 1e-6, `${w}: site meter = other loads + charger on L${p + 1}`);
    if (other[p] <= LIMIT - MARGIN)
      assert.ok(lm.site_a[p] <= LIMIT - MARGIN + EPS,
        `${w}: site L${p + 1} reads ${lm.site_a[p]} A over ${LIMIT - MARGIN} A (other loads ${other[p]} A, charger ${draw} A)`);
    else
      assert.ok(draw <= EPS, `${w}: the other loads alone are over the limit on L${p + 1}: the charger draws ${draw} A`);
    assert.ok(draw <= lm.limit_a[p] + EPS, `${w}: the charger draws ${draw} A over its limit ${lm.limit_a[p]} A on L${p + 1}`);
  }
}

run('site_load', async (t) => {
  // A bad mode is refused at start, naming the key.
  const bad = await evsedOnce([...SIM, '--set', 'lm.mode=sometimes'], { cwd: t.dir });
  assert.equal(bad.code, 2, `lm.mode=sometimes is refused: ${bad.code} ${bad.stderr}`);
  assert.match(bad.stderr, /lm\.mode/, `the refusal names the key: ${bad.stderr}`);

  const d = await t.start([...SIM, '--set', 'auth.required=false', '--set', 'meter.site=sim',
    '--set', 'charger.current_limit=63']);
  // Set at run time, as an installer would (applied at the next reading).
  await d.ok('config', 'set', 'lm.site_limit', String(LIMIT));
  await d.ok('config', 'set', 'lm.margin', String(MARGIN));
  await d.ok('config', 'set', 'lm.reeval_time', String(REEVAL_S));
  await d.ok('config', 'set', 'lm.mode', 'dynamic');
  await d.ok('plug', '1');
  await d.ok('plug', '2');
  await d.ok('ev', '1', 'charge');
  await d.ok('ev', '2', 'charge');
  let other = [0, 0, 0];
  await d.ok('load', '0');
  let s = await d.status();
  checkSite(s, other, 'no other loads');
  // 38 A for two EVs: 19 A each, load management binding (hardware 32 A).
  for (const c of s.connectors) {
    assert.ok(Math.abs(c.offered_a - 19) < 1e-6, `connector ${c.id} offered ${c.offered_a} A: ${JSON.stringify(s.load_management)}`);
    assert.equal(c.limit_reason, 'load_management');
  }

  // A rise of the other loads: answered at once.
  other = [20, 10, 5];
  await d.ok('load', ...other.map(String));
  s = await d.status();
  checkSite(s, other, 'other loads 20 / 10 / 5 A');
  assert.deepEqual(s.load_management.limit_a, [18, 28, 33]);
  // A fall: the offer waits for the re-evaluation time.
  other = [0, 0, 0];
  await d.ok('load', '0');
  s = await d.status();
  assert.deepEqual(s.load_management.limit_a, [18, 28, 33], 'no rise before lm.reeval_time');
  await d.advance(REEVAL_S + 1);
  s = await d.status();
  assert.deepEqual(s.load_management.limit_a, [38, 38, 38], 'the rise after lm.reeval_time');
  checkSite(s, other, 'after the rise');

  // A random walk, sometimes over the limit on its own.
  const seed = Number(process.env.EVSED_SEED || (Date.now() >>> 0));
  t.log(`seed ${seed} (replay with EVSED_SEED=${seed})`);
  const rnd = prng(seed);
  for (let step = 0; step < 60; step++) {
    other = other.map((v) => Math.max(0, Math.min(45, Math.round(v + (rnd() - 0.5) * 20))));
    await d.ok('load', ...other.map(String));
    checkSite(await d.status(), other, `step ${step} (seed ${seed}), after the change`);
    await d.advance(1 + Math.floor(rnd() * 2 * REEVAL_S));
    checkSite(await d.status(), other, `step ${step} (seed ${seed}), later`);
  }

  // Off: the limit goes, the hardware maximum is back within a second.
  await d.ok('config', 'set', 'lm.mode', 'off');
  await d.advance(1);
  s = await d.status();
  assert.equal(s.load_management.limit_a, null, 'no load limit with lm.mode off');
  assert.ok(s.connectors.every((c) => c.limit_reason !== 'load_management'), JSON.stringify(s.connectors));

  // No site meter: `evsectl load` is refused.
  const dir2 = path.join(t.dir, 'nometer');
  fs.mkdirSync(dir2);
  const d2 = await t.start(SIM, { dir: dir2 });
  const r = await d2.ctl('load', '10');
  assert.equal(r.code, 1, 'load without a site meter is refused');
  assert.match(r.stderr, /meter\.site/, r.stderr);
});
