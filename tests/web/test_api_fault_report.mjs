// SPDX-License-Identifier: MIT
// REST API, the fault report (G7, EVPLUS 8.1.2): /api/faults.csv holds the
// same rows as /api/faults, which hold the faults a simulated fault raised
// and cleared (time raised, time cleared, connector, name, detail), an open
// fault with an empty end; fields are RFC 4180 quoted; the maintain role may
// download it, a driver (user) may not, nobody without a session.
import {
  assert, run, SIM, Client, startWeb, expectStatus, DEFAULT_PW,
} from './lib.mjs';

/** An RFC 4180 parser (quoted fields, doubled quotes, commas and line breaks
 * inside quotes), independent of the server's writer. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let f = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '"' && text[i + 1] === '"') { f += '"'; i++; } else if (ch === '"') q = false; else f += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') { row.push(f); f = ''; } else if (ch === '\n') { row.push(f); rows.push(row); row = []; f = ''; } else f += ch;
  }
  assert.ok(!q && f === '' && row.length === 0, 'the CSV ends with a complete line');
  return rows;
}

run('web_api_fault_report', async (t) => {
  const { d, base, ca } = await startWeb(t, SIM);
  const inst = new Client(base, ca);
  await inst.firstLogin('installer', DEFAULT_PW.io7, 'Install-pass-1');

  // Nothing yet: the header only.
  let csv = await inst.get('/api/faults.csv');
  assert.equal(csv.status, 200, csv.text);
  assert.equal(csv.text, '"number","start","end","connector","fault","text"\n');

  // An over-current raised and cleared, then an over-temperature still on.
  await d.ok('fault', 'overcurrent', 'on');
  await d.advance(90);
  await d.ok('fault', 'overcurrent', 'off');
  await d.advance(60);
  await d.ok('fault', 'overtemp', 'on');
  await d.advance(5);

  const faults = (await inst.get('/api/faults')).json.data;
  assert.equal(faults.length, 2, JSON.stringify(faults));
  const [ot, oc] = faults; // newest first
  assert.deepEqual([oc.fault, oc.connector, oc.text], ['overcurrent', 1, 'over-current']);
  assert.equal(oc.start, '2026-01-01T00:00:00Z');
  // Cleared when it recovered: 30 s after the board's all-clear (A11).
  assert.equal(oc.end, '2026-01-01T00:02:00Z');
  assert.deepEqual([ot.fault, ot.end, ot.text], ['overtemp', null, 'relay over-temperature']);
  assert.equal(ot.start, '2026-01-01T00:02:30Z');

  csv = await inst.get('/api/faults.csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers['content-type'], /^text\/csv; charset=utf-8/);
  assert.equal(csv.headers['content-disposition'], 'attachment; filename="evsed-faults.csv"');
  assert.match(csv.headers['cache-control'], /no-store/);
  const rows = parseCsv(csv.text);
  assert.deepEqual(rows[0], ['number', 'start', 'end', 'connector', 'fault', 'text']);
  assert.deepEqual(rows.slice(1), faults.map((f) => [String(f.number), f.start, f.end ?? '',
    String(f.connector), f.fault, f.text]), 'the CSV says what /api/faults says');
  // Every field quoted.
  for (const line of csv.text.trim().split('\n'))
    assert.match(line, /^"[^"]*"(,"[^"]*")*$/, `quoted fields: ${line}`);

  // Roles: maintain may, a driver may not, nobody without a session.
  for (const u of ['maintain', 'user'])
    expectStatus(await inst.post('/api/users/reset', { user: u, password: `Temp-${u}-1` }), 200, null, `reset ${u}`);
  const mt = new Client(base, ca);
  await mt.firstLogin('maintain', 'Temp-maintain-1', 'Own-maintain-1');
  const mcsv = await mt.get('/api/faults.csv');
  assert.equal(mcsv.status, 200);
  assert.equal(mcsv.text, csv.text);
  const usr = new Client(base, ca);
  await usr.firstLogin('user', 'Temp-user-1', 'Own-user-pass-1');
  expectStatus(await usr.get('/api/faults.csv'), 403, /the user role may not/, 'user');
  expectStatus(await new Client(base, ca).get('/api/faults.csv'), 401, /not logged in/, 'anonymous');
  expectStatus(await inst.post('/api/faults.csv', {}), 405, /not allowed/, 'POST');
  await d.stop();
});
