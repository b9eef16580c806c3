// SPDX-License-Identifier: MIT
//
// Power loss with the CSMS unreachable (issue 3, C5): 50 charging sessions
// on the simulated clock while ocpp.url names a port where nothing listens,
// evsed killed with SIGKILL and started again on the same data directory,
// the power back some simulated seconds later. The power goes after a plug
// (no session yet), right after a session started, in the middle of a
// session, after a session ended, and twice in the middle of a long
// `time advance` (real instants: evsed is busy moving simulated time,
// sampling meter values into its queue). Then an ocpp-rpc CSMS (strict)
// starts on that port and evsed reconnects. The CSMS must end up with every
// transaction exactly once: StartTransaction, its MeterValues, then
// StopTransaction, in the order the sessions happened, timestamps never
// going backwards, with the simulated clock's times (not the replay time),
// meterStop not below any reading sent before it, the transactionId it gave
// used for the rest of the session, PowerLoss for the sessions a kill cut
// and Local / EVDisconnected otherwise; and every session of
// `evsectl history` has exactly one transaction there, with the same times
// and energy.
//
// The plan comes from a seeded PRNG: the seed is printed, and
// EVSED_SEED=<seed> replays the same plan. Only how far evsed got into a
// long `time advance` when the kill lands depends on the machine; the
// checks hold for any instant.

import {
  assert, test, prng, seedFromEnv, freePort, waitFor, sleep, evsedArgs, timeOf, Csms,
} from './lib.mjs';

const SESSIONS = 50;
const CARDS = ['CARD00', 'CARD01', 'CARD02', 'CARD03', 'CARD04'];
const T0 = '2030-01-01T00:00:00Z'; // far from the real date: replay time cannot pass for it
const SAMPLE_S = 60; // MeterValueSampleInterval (the default)
const KILLS = ['afterPlug', 'afterSwipe', 'mid', 'afterStop'];
const LONG_S = 12 * 3600; // a long charge: 720 samples, a few hundred ms of work for evsed
const LONG_CUTS = 2;

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const energyOf = (mv) => {
  const s = mv.sampledValue.find((v) => (v.measurand || 'Energy.Active.Import.Register') === 'Energy.Active.Import.Register');
  return s ? Number(s.value) : undefined;
};

test('power_loss_50', async (t) => {
  const seed = seedFromEnv();
  t.log(`seed ${seed} (replay with EVSED_SEED=${seed})`);
  const rnd = prng(seed);

  // The plan: for each session, where (if anywhere) the power goes.
  const plan = [];
  for (let i = 0; i < SESSIONS; i++) {
    const r = rnd.next();
    plan.push({
      kill: r < 0.15 ? 'mid' : r < 0.22 ? 'afterSwipe' : r < 0.32 ? 'afterStop' : r < 0.37 ? 'afterPlug' : null,
      charge_s: rnd.int(20, 300),
      idle_s: rnd.int(0, 90),
      stop: rnd.next() < 0.5 ? 'Local' : 'EVDisconnected',
      kill_ms: rnd.int(60, 260), // duringAdvance: real ms after the command
    });
  }
  for (const k of KILLS) // every kind of cut at least once
    if (!plan.some((p) => p.kill === k)) plan[rnd.int(0, SESSIONS - 1)].kill = k;
  for (let n = 0; n < LONG_CUTS;) {
    const p = plan[rnd.int(0, SESSIONS - 1)];
    if (p.kill === 'duringAdvance') continue;
    p.kill = 'duringAdvance';
    n++;
  }
  t.log(`plan: ${plan.map((p) => p.kill || '-').join(' ')}`);

  const port = await freePort(); // nothing listens there until the end
  const url = `ws://127.0.0.1:${port}/ocpp`;
  let simMs = Date.parse(T0);
  const args = () => evsedArgs({ url, start: iso(simMs) });
  let d = await t.start(args());
  const status0 = await d.status();
  assert.equal(status0.ocpp.connected, false, 'nothing listens on the CSMS port yet');
  for (const c of CARDS) await d.ok('card', 'add', c);

  let kills = 0;
  const restart = async () => {
    simMs += rnd.int(1, 300) * 1000; // the power is back some time later
    d = await t.start(args());
  };
  const powerCut = async () => {
    await d.killHard();
    kills++;
    await restart();
  };
  const advance = async (s) => {
    const out = await d.advance(s);
    simMs += s * 1000;
    assert.equal(timeOf(out), iso(simMs), 'the simulated clock is where the test expects it');
  };

  // The model: what each session must look like at the CSMS. end / samples
  // are null where a kill inside `time advance` makes them unknowable here.
  const sessions = [];
  let cutInside = 0;
  for (let i = 0; i < SESSIONS; i++) {
    const p = plan[i];
    const conn = 1 + (i % 2);
    const card = CARDS[i % CARDS.length];
    await d.ok('plug', String(conn));
    if (p.kill === 'afterPlug') {
      await powerCut(); // no session yet: the attempt is simply lost
      await d.ok('plug', String(conn));
    }
    const s = { conn, card, start: iso(simMs), samples: 0, kill: p.kill, charge_s: 0 };
    sessions.push(s);
    await d.ok('swipe', card);
    if (p.kill === 'afterSwipe') {
      s.end = s.start;
      s.reason = 'PowerLoss';
      await powerCut();
      await advance(p.idle_s);
      continue;
    }
    await d.ok('ev', String(conn), 'charge');
    if (p.kill === 'duringAdvance') {
      s.charge_s = LONG_S;
      s.reason = 'PowerLoss';
      const pending = d.ctl('time', 'advance', String(LONG_S));
      await sleep(p.kill_ms);
      await d.killHard();
      kills++;
      const r = await pending;
      if (r.code === 0) { // too late: the advance was over
        s.end = iso(simMs + LONG_S * 1000);
        s.samples = LONG_S / SAMPLE_S;
      } else {
        s.end = null;
        s.samples = null;
        cutInside++;
      }
      t.log(`session #${i}: power cut ${p.kill_ms} ms into a ${LONG_S} s advance ` +
        `(${r.code === 0 ? 'it was already over' : 'it was still running'})`);
      simMs += LONG_S * 1000; // at most this far; the restart comes later
      await restart();
      await advance(p.idle_s);
      continue;
    }
    s.charge_s = p.charge_s;
    await advance(p.charge_s);
    s.samples = Math.floor(p.charge_s / SAMPLE_S);
    s.end = iso(simMs);
    if (p.kill === 'mid') {
      s.reason = 'PowerLoss';
      await powerCut();
      await advance(p.idle_s);
      continue;
    }
    s.reason = p.stop;
    // Local: the same card again, the EV stays plugged for now.
    await d.ok(...(p.stop === 'Local' ? ['swipe', card] : ['unplug', String(conn)]));
    if (p.kill === 'afterStop') await powerCut(); // a plugged EV is gone with the power
    else if (p.stop === 'Local') await d.ok('unplug', String(conn));
    await advance(p.idle_s);
  }
  t.log(`${SESSIONS} sessions, ${kills} power cuts (${cutInside} inside a time advance); ` +
    `simulated time now ${iso(simMs)}`);

  // The history: every session once, closed, with the times it had.
  const history = (await d.history()).slice().reverse(); // oldest first
  assert.equal(history.length, SESSIONS, `history has every session: ${JSON.stringify(history)}`);
  history.forEach((h, i) => {
    const s = sessions[i];
    const w = `history session ${h.number} (#${i})`;
    assert.equal(h.connector, s.conn, `${w}: connector`);
    assert.equal(h.id_tag, s.card, `${w}: id tag`);
    assert.equal(h.start, s.start, `${w}: start`);
    assert.equal(h.stop_reason, s.reason, `${w}: stop reason`);
    if (s.end === null) {
      assert.ok(h.end >= s.start && Date.parse(h.end) <= Date.parse(s.start) + s.charge_s * 1000,
        `${w}: cut inside the advance, it ends within it: ${h.end}`);
      s.end = h.end;
    }
    assert.equal(h.end, s.end, `${w}: end`);
    s.number = h.number;
    s.energy = h.energy_wh;
  });

  // Offline all along: everything is still queued.
  let st = await d.status();
  assert.equal(st.ocpp.connected, false, 'still no CSMS');
  const queued = st.ocpp.queued_messages;
  const known = sessions.reduce((n, s) => n + 2 + (s.samples ?? 0), 0);
  if (cutInside === 0)
    assert.equal(queued, known, `queued transaction messages before the CSMS is back (${SESSIONS} starts, ` +
      `${SESSIONS} stops, ${known - 2 * SESSIONS} sampled meter values)`);
  else
    assert.ok(queued >= known, `queued transaction messages: ${queued} >= ${known}`);

  // The CSMS comes back.
  const csms = new Csms({
    handlers: {
      StartTransaction: ({ params, csms: c }) => {
        const key = `${params.connectorId}|${params.idTag}|${params.timestamp}|${params.meterStart}`;
        c.byKey = c.byKey || new Map();
        if (c.byKey.has(key)) { // a duplicate: same id again, and noted
          c.duplicates = (c.duplicates || 0) + 1;
          return { transactionId: c.byKey.get(key), idTagInfo: { status: 'Accepted' } };
        }
        c.nextTx = (c.nextTx || 5000) + 3;
        c.byKey.set(key, c.nextTx);
        return { transactionId: c.nextTx, idTagInfo: { status: 'Accepted' } };
      },
    },
  });
  t.defer(() => csms.close());
  t.note(() => csms.log());
  const back = Date.now();
  await csms.listen(port);
  t.log(`CSMS listening on ${port}; ${queued} messages to replay`);
  await waitFor(async () => {
    st = await d.status();
    return st.ocpp.connected && st.ocpp.queued_messages === 0 &&
      csms.of('StopTransaction').length >= SESSIONS;
  }, 90000, `the queue to drain at the CSMS (last status ocpp ${JSON.stringify(st && st.ocpp)}, ` +
    `${csms.of('StopTransaction').length} StopTransaction so far)`, 100);
  t.log(`replayed in ${Date.now() - back} ms (${csms.calls.length} calls)`);
  assert.equal(st.ocpp.boot, 'Accepted');
  assert.deepEqual(csms.failures, [], 'no strict validation failure at the CSMS');
  assert.equal(csms.duplicates || 0, 0, 'no StartTransaction was sent twice');

  // The transaction messages, in arrival order, grouped by transaction.
  const txMsgs = csms.calls.filter((c) =>
    c.method === 'StartTransaction' || c.method === 'StopTransaction' ||
    (c.method === 'MeterValues' && c.params.transactionId !== undefined));
  assert.equal(txMsgs.length, queued, 'every queued message arrived, once');
  const txs = []; // in the order of their StartTransaction
  const byId = new Map();
  for (const m of txMsgs) {
    const p = m.params;
    if (m.method === 'StartTransaction') {
      const id = csms.byKey.get(`${p.connectorId}|${p.idTag}|${p.timestamp}|${p.meterStart}`);
      assert.ok(!byId.has(id), `transaction ${id} started twice`);
      const tx = { id, start: p, meters: [], stop: null };
      byId.set(id, tx);
      txs.push(tx);
      continue;
    }
    const tx = byId.get(p.transactionId);
    assert.ok(tx, `${m.method} for a transactionId the CSMS never gave: ${JSON.stringify(p)}`);
    assert.equal(tx.stop, null, `${m.method} after the StopTransaction of ${p.transactionId}: ${JSON.stringify(p).slice(0, 300)}`);
    if (m.method === 'MeterValues') {
      assert.equal(p.connectorId, tx.start.connectorId, `MeterValues of ${tx.id} on its connector`);
      tx.meters.push(p);
    } else {
      tx.stop = p;
      // Sessions never overlap here: a transaction ends before the next starts.
      assert.equal(txs[txs.length - 1], tx, `StopTransaction of ${tx.id} comes before the next StartTransaction`);
    }
  }
  assert.equal(txs.length, SESSIONS, 'one transaction per session');

  // Transaction k is session k of the history, complete and with the times
  // and meter readings it had when it happened.
  txs.forEach((tx, i) => {
    const s = sessions[i];
    const w = `session ${s.number} (#${i}, connector ${s.conn}, cut: ${s.kill || 'none'}) = transaction ${tx.id}`;
    assert.equal(tx.start.connectorId, s.conn, `${w}: connectorId`);
    assert.equal(tx.start.idTag, s.card, `${w}: idTag`);
    assert.equal(tx.start.timestamp, s.start, `${w}: StartTransaction keeps its original timestamp`);
    assert.ok(tx.stop, `${w}: has a StopTransaction`);
    assert.equal(tx.stop.timestamp, s.end, `${w}: StopTransaction has the end of the history`);
    assert.equal(tx.stop.reason, s.reason, `${w}: stop reason`);
    assert.ok(tx.stop.timestamp >= tx.start.timestamp, `${w}: stop after start`);
    assert.ok(tx.stop.meterStop >= tx.start.meterStart, `${w}: meterStop ${tx.stop.meterStop} >= meterStart ${tx.start.meterStart}`);
    assert.ok(Math.abs(tx.stop.meterStop - tx.start.meterStart - s.energy) <= 1,
      `${w}: meterStop - meterStart = ${tx.stop.meterStop - tx.start.meterStart} Wh, history says ${s.energy} Wh`);
    if (s.reason === 'Local') assert.equal(tx.stop.idTag, s.card, `${w}: a local stop names the card`);
    if (s.samples !== null)
      assert.equal(tx.meters.length, s.samples, `${w}: one MeterValues per ${SAMPLE_S} s of charging`);
    else
      assert.ok(tx.meters.length <= s.charge_s / SAMPLE_S, `${w}: no more MeterValues than sampling times`);
    let e = tx.start.meterStart;
    tx.meters.forEach((mv, k) => {
      const ts = mv.meterValue[0].timestamp;
      assert.equal(ts, iso(Date.parse(s.start) + (k + 1) * SAMPLE_S * 1000), `${w}: MeterValues #${k} timestamp`);
      const v = energyOf(mv.meterValue[0]);
      assert.ok(v !== undefined && v >= e, `${w}: MeterValues #${k} energy ${v} >= ${e}`);
      e = v;
    });
    const last = tx.meters[tx.meters.length - 1];
    if (last) {
      const lastTs = last.meterValue[0].timestamp;
      const lastWh = energyOf(last.meterValue[0]);
      assert.ok(tx.stop.timestamp >= lastTs,
        `${w}: StopTransaction (${tx.stop.timestamp}, meterStop ${tx.stop.meterStop}) is not earlier than ` +
        `the MeterValues sent before it (${tx.meters.length}, the last at ${lastTs} reading ${lastWh} Wh); ` +
        `the history says the session ended ${s.end} with ${s.energy} Wh`);
      assert.ok(tx.stop.meterStop >= Math.floor(lastWh),
        `${w}: meterStop ${tx.stop.meterStop} is below the last MeterValues reading ${lastWh} Wh (at ${lastTs})`);
    }
    if (i > 0) assert.ok(txs[i - 1].stop.timestamp <= tx.start.timestamp, `${w}: starts after the previous one ended`);
  });

  // Over all of it, timestamps never go backwards.
  let lastTs = '';
  for (const m of txMsgs) {
    const ts = m.method === 'MeterValues' ? m.params.meterValue[0].timestamp : m.params.timestamp;
    assert.ok(ts >= lastTs, `timestamps never go backwards: ${m.method} at ${ts} after ${lastTs}`);
    lastTs = ts;
  }

  const after = (await d.history()).slice().reverse();
  assert.deepEqual(after.map((h) => h.number), sessions.map((s) => s.number), 'the history did not change');
  await d.stop();
  t.log(`${SESSIONS} transactions, ${txMsgs.length} messages, ${kills} power cuts: all once, in order`);
}, { timeoutMs: 180000 });
