// SPDX-License-Identifier: MIT
// The UK smart-charging defaults (D1, D2) over 48 simulated hours: an io7 out
// of the box, free charging, plugged at midnight on Saturday 2026-03-28 (GMT)
// and left until Monday, through the change to BST on Sunday. The offer is 0
// with reason no_charging_period exactly in 08:00-11:00 and 16:00-22:00 London
// time (08-11 and 16-22 UTC on Saturday, 07-10 and 15-21 UTC on Sunday), the
// LED says "charging delayed" then; power comes back after a randomised delay
// of 0-600 s at the session start and at the end of each period; energy flows
// only outside the periods. The instants come from evsed's own log (the
// simulated clock stamps every line), the states from `evsectl status`.
import { assert, run } from './lib.mjs';

const START = '2026-03-28T00:00:00Z';
const ON = [
  '--set', 'clock=sim', '--set', `clock.sim_start=${START}`,
  '--set', 'auth.required=false',
  // The io7 defaults, which the test harness turns off for other tests.
  '--set', 'policy.no_charge_enabled=true',
  '--set', 'policy.random_delay_max=600',
];
const T0 = Date.parse(START) / 1000;
const at = (iso) => Date.parse(iso) / 1000 - T0; // seconds since the start
const iso = (s) => new Date((T0 + s) * 1000).toISOString().replace('.000Z', 'Z');

// The periods in UTC: London is GMT on Saturday, BST (UTC+1) on Sunday.
const PERIODS = [
  ['2026-03-28T08:00:00Z', '2026-03-28T11:00:00Z'],
  ['2026-03-28T16:00:00Z', '2026-03-28T22:00:00Z'],
  ['2026-03-29T07:00:00Z', '2026-03-29T10:00:00Z'],
  ['2026-03-29T15:00:00Z', '2026-03-29T21:00:00Z'],
].map(([s, e]) => [at(s), at(e)]);
const END = at('2026-03-30T00:00:00Z');
const MAX_DELAY = 600;

/** "connector 1: offered X A (reason)" lines of the log: {t, amps, reason}. */
function offers(stderr) {
  const re = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) evsed: connector 1: offered ([\d.]+) A \((\w+)\)$/gm;
  return [...stderr.matchAll(re)].map((m) => ({ t: at(m[1]), amps: Number(m[2]), reason: m[3] }));
}

run('uk_defaults', async (t) => {
  const d = await t.start(ON);
  await d.ok('plug', '1');
  await d.ok('ev', '1', 'charge');
  let c = await d.conn(1);
  assert.ok(c.transaction_id > 0, 'free charging: the plug starts a session');

  // Walk the 48 h: at each period's edges and just inside / outside them.
  const samples = [];
  for (const [s, e] of PERIODS)
    samples.push(s - 1, s, s + 60, e - 1, e, e + MAX_DELAY);
  samples.push(END);
  let now = 0;
  const energyAt = {};
  for (const s of samples) {
    await d.advance(s - now);
    now = s;
    c = await d.conn(1);
    energyAt[s] = c.energy_wh;
    const inPeriod = PERIODS.some(([a, b]) => s >= a && s < b);
    const afterEnd = PERIODS.some(([, b]) => s >= b && s < b + MAX_DELAY);
    const w = `${iso(s)}: ${JSON.stringify(c)}`;
    if (inPeriod) {
      assert.equal(c.offered_a, 0, w);
      assert.equal(c.limit_reason, 'no_charging_period', w);
      assert.equal(c.state, 'SuspendedEVSE', w);
      assert.equal(c.led, 'blue', `${w}: the io7 "charging delayed" LED`);
    } else if (afterEnd) {
      assert.ok(c.offered_a === 32 || c.limit_reason === 'random_delay', w);
    } else {
      assert.equal(c.offered_a, 32, w);
      assert.equal(c.state, 'Charging', w);
    }
  }

  // Energy only outside the periods: none from a minute into a period to
  // its end (the EV stops drawing as the offer goes), 22 kW outside.
  for (const [s, e] of PERIODS) {
    assert.equal(energyAt[e - 1], energyAt[s + 60], `no energy in ${iso(s)} - ${iso(e)}`);
    assert.ok(energyAt[s] - energyAt[s - 1] < 10, `at most a second of charging at ${iso(s)}`);
  }
  const between = [[PERIODS[0][1] + MAX_DELAY, PERIODS[1][0] - 1],
    [PERIODS[2][1] + MAX_DELAY, PERIODS[3][0] - 1]];
  for (const [a, b] of between) {
    const kwh = (energyAt[b] - energyAt[a]) / 1000;
    const hours = (b - a) / 3600;
    assert.ok(Math.abs(kwh / hours - 22.08) < 0.1, `${kwh} kWh in ${hours} h outside the periods`);
  }

  // The exact instants, from the log: each period starts with 0 A
  // (no_charging_period) to the second; every 32 A comes 0-600 s after the
  // session start or a period end, after a random_delay; nothing else.
  const log = offers(d.stderr).filter((o) => o.t <= END);
  const starts = [0, ...PERIODS.map(([, e]) => e)];
  const delays = [];
  let i = 0;
  for (const [k, from] of starts.entries()) {
    // The session's start (0) or a period's end: random_delay, unless 0 s.
    let o = log[i];
    assert.ok(o && o.t === from, `an offer change at ${iso(from)}: ${JSON.stringify(o)}`);
    if (o.amps === 0) {
      assert.equal(o.reason, 'random_delay', `${iso(from)}: ${JSON.stringify(o)}`);
      o = log[++i];
    }
    assert.ok(o && o.amps === 32, `power after ${iso(from)}: ${JSON.stringify(o)}`);
    const delay = o.t - from;
    assert.ok(delay >= 0 && delay <= MAX_DELAY, `delay ${delay} s after ${iso(from)}`);
    delays.push(delay);
    i++;
    if (k < PERIODS.length) {
      o = log[i++];
      assert.ok(o && o.t === PERIODS[k][0] && o.amps === 0 && o.reason === 'no_charging_period',
        `the period from ${iso(PERIODS[k][0])}: ${JSON.stringify(o)}`);
    }
  }
  assert.equal(i, log.length, `no other offer changes: ${JSON.stringify(log.slice(i))}`);
  // The log names each drawn delay too.
  const drawn = [...d.stderr.matchAll(/connector 1: randomised delay (\d+) s/g)].map((m) => Number(m[1]));
  assert.ok(drawn.every((x) => x > 0 && x <= MAX_DELAY), `drawn delays ${drawn}`);
  t.log(`48 h: delays ${delays.join(', ')} s; ${(energyAt[END] / 1000).toFixed(1)} kWh`);
  await d.stop();
});
