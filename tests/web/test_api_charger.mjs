// SPDX-License-Identifier: MIT
// REST API, the charger (G1 G3 G6 G7): information, live status of a
// charging session, settings through the registry (an invalid field is named
// and nothing is saved; reboot-only settings say so; changes survive a
// restart), history and its CSV export, the card list, the OCPP keys and the
// CSMS status, the serial number, reboot and factory reset.
import {
  assert, run, SIM, Client, startWeb, expectStatus, DEFAULT_PW,
} from './lib.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Parse our CSV (every field quoted). */
function parseCsv(text) {
  return text.trim().split('\n').map((line) => {
    const out = [];
    const re = /"((?:[^"]|"")*)"(,|$)/g;
    let m;
    while ((m = re.exec(line)) && m[0] !== '') out.push(m[1].replace(/""/g, '"'));
    return out;
  });
}

/** After a reboot: the web UI answers again and the client's session (kept
 * in memory only) is gone (nobody is logged in). */
async function restarted(c) {
  for (let i = 0; i < 150; i++) {
    await sleep(100);
    const s = await c.get('/api/me').catch(() => null);
    if (s !== null && s.status === 200 && s.json.data === null) return true;
  }
  return false;
}

run('web_api_charger', async (t) => {
  const args = [...SIM, '--set', 'auth.required=false'];
  let { d, port, base, ca } = await startWeb(t, args);
  const c = new Client(base, ca);
  await c.firstLogin('installer', DEFAULT_PW.io7, 'Install-pass-1');

  // Information.
  const info = (await c.get('/api/info')).json.data;
  assert.equal(info.vendor, 'Ratio');
  assert.equal(info.model, 'io7');
  assert.equal(info.serial, 'RATIOIO7000001');
  assert.match(info.firmware, /^\d+\.\d+\.\d+$/);
  assert.equal(info.connectors, 2);
  assert.equal(info.addresses.web, `127.0.0.1:${port}`);

  // A live session shows in the status the connectors page polls.
  await d.ok('plug', '1');
  await d.ok('ev', '1', 'charge');
  await d.advance(600);
  let st = (await c.get('/api/status')).json.data;
  const c1 = st.connectors[0];
  assert.equal(c1.state, 'Charging');
  assert.ok(c1.offered_a > 0 && typeof c1.limit_reason === 'string');
  assert.ok(c1.power_w > 0 && c1.session_energy_wh > 0, JSON.stringify(c1));
  assert.ok(typeof c1.led === 'string' && Array.isArray(c1.faults));
  assert.equal(st.connectors[1].state, 'Available');
  await d.ok('unplug', '1');

  // History and its CSV export say the same.
  const hist = (await c.get('/api/history')).json.data;
  assert.equal(hist.length, 1);
  assert.equal(hist[0].id_tag, 'default');
  const csv = await c.get('/api/history.csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers['content-type'], /^text\/csv/);
  assert.match(csv.headers['content-disposition'], /attachment; filename="evsed-history.csv"/);
  const rows = parseCsv(csv.text);
  assert.deepEqual(rows[0], ['number', 'connector', 'start', 'end', 'start_mode', 'stop_mode',
    'energy_wh', 'id_tag', 'stop_reason']);
  assert.equal(rows.length, 2);
  const h = hist[0];
  assert.deepEqual(rows[1].slice(0, 6), [String(h.number), String(h.connector), h.start, h.end,
    h.start_mode, h.stop_mode]);
  assert.ok(Math.abs(Number(rows[1][6]) - h.energy_wh) < 0.001, `energy ${rows[1][6]} vs ${h.energy_wh}`);
  assert.equal(rows[1][7], h.id_tag);
  expectStatus(await c.get('/api/history?limit=x'), 400, /history limit/, 'bad limit');

  // Settings: the registry's metadata, validation, all or nothing.
  const list = (await c.get('/api/settings')).json.data;
  const lim = list.find((s) => s.key === 'charger.current_limit');
  assert.deepEqual([lim.group, lim.min, lim.max, lim.unit, lim.type], ['charger', 6, 63, 'A', 'number']);
  const pw = list.find((s) => s.key === 'ocpp.password');
  assert.equal(pw.secret, true);
  let r = await c.patch('/api/settings', { values: { 'time.zone': 'Europe/Rome', 'charger.current_limit': 99 } });
  expectStatus(r, 400, /charger.current_limit: .*6.*63/, 'out of range');
  assert.equal(r.json.field, 'charger.current_limit');
  assert.equal((await d.config('time.zone')).value, 'Europe/London', 'nothing saved');
  r = await c.patch('/api/settings', { values: { 'no.such': 1 } });
  expectStatus(r, 400, /no.such: unknown setting/, 'unknown setting');
  assert.equal(r.json.field, 'no.such');
  r = await c.patch('/api/settings', { values: { profile: 'mq200' } });
  expectStatus(r, 400, /profile: can only be set at start/, 'start-only setting');
  r = await c.patch('/api/settings', { values: { 'auth.rfid_enabled': [1] } });
  expectStatus(r, 400, /expected a string, number or true\/false/, 'bad JSON type');
  expectStatus(await c.patch('/api/settings', { values: {} }), 400, /values/, 'empty');
  r = await c.patch('/api/settings', { values: { 'time.zone': 'Europe/Rome', 'charger.current_limit': 16, 'auth.rfid_enabled': false } });
  expectStatus(r, 200, null, 'valid change');
  assert.deepEqual(r.json.data, { changed: ['time.zone', 'charger.current_limit', 'auth.rfid_enabled'], reboot_required: false });
  // The installer information (G6).
  r = await c.patch('/api/settings', { values: { 'installer.name': 'Maria Rossi', 'installer.email': 'maria' } });
  expectStatus(r, 400, /installer.email: must be an e-mail address/, 'bad e-mail');
  assert.equal(r.json.field, 'installer.email');
  assert.equal((await d.config('installer.name')).value, '', 'nothing saved');
  r = await c.patch('/api/settings', { values: { 'installer.name': 'Maria Rossi', 'installer.company': 'Rossi Impianti', 'installer.email': 'maria@example.com' } });
  expectStatus(r, 200, null, 'installer information');
  r = await c.patch('/api/settings', { values: { 'sim.ev_phases': 1 } });
  assert.equal(r.json.data.reboot_required, true, 'a reboot-only setting says so');
  assert.equal((await d.config('charger.current_limit')).value, '16');

  // OCPP keys with their rules, and the CSMS status.
  const ocpp = (await c.get('/api/ocpp')).json.data;
  const hb = ocpp.keys.find((k) => k.key === 'HeartbeatInterval');
  assert.deepEqual([hb.group, hb.min, hb.max, hb.unit], ['ocpp_keys', 0, 86400, 's']);
  assert.ok(ocpp.keys.every((k) => k.ocpp_key));
  assert.deepEqual([ocpp.csms.connected, ocpp.csms.bytes_sent], [false, 0]);
  assert.equal(ocpp.charging_profiles, null, 'no CSMS, no charging profiles');

  // Cards (local list).
  expectStatus(await c.post('/api/cards', { uid: 'CAFE0001' }), 200, null, 'add card');
  expectStatus(await c.post('/api/cards', { uid: 'CAFE0001' }), 409, /already/, 'card twice');
  expectStatus(await c.post('/api/cards', { uid: 'bad card!' }), 409, /refused/, 'bad uid');
  expectStatus(await c.post('/api/cards', {}), 400, /uid: required/, 'no uid');
  assert.deepEqual((await c.get('/api/cards')).json.data.cards, ['CAFE0001']);
  expectStatus(await c.post('/api/cards/learn', { slot: 2 }), 200, null, 'learn');
  expectStatus(await c.post('/api/cards/learn', { slot: 0 }), 400, /card learn N/, 'learn slot 0');
  assert.match(await d.ok('swipe', 'BEEF0002'), /learnt as card 2/);
  assert.deepEqual((await c.get('/api/cards')).json.data.cards, ['CAFE0001', 'BEEF0002']);
  expectStatus(await c.post('/api/cards/remove', { uid: 'CAFE0001' }), 200, null, 'remove card');
  expectStatus(await c.post('/api/cards/remove', { uid: 'CAFE0001' }), 409, /not in the card list/, 'remove twice');

  // Serial number (G6).
  r = await c.post('/api/maintenance/serial', { serial: 'bad serial!' });
  expectStatus(r, 400, /serial: /, 'bad serial');
  assert.equal(r.json.field, 'serial');
  expectStatus(await c.post('/api/maintenance/serial', { serial: 'RATIOIO7000042' }), 200, null, 'serial');
  assert.equal((await c.get('/api/info')).json.data.serial, 'RATIOIO7000042');

  // Reboot: the same process starts again; sessions are gone, settings stay.
  const pid = d.pid;
  expectStatus(await c.post('/api/maintenance/reboot', {}), 200, null, 'reboot');
  assert.ok(await restarted(c), 'the web UI is back after the reboot');
  assert.equal(d.pid, pid);
  assert.ok(!d.exited, 'evsed restarts in place');
  expectStatus(await c.get('/api/status'), 401, /not logged in/, 'old session after reboot');
  await c.login('installer', 'Install-pass-1');
  assert.equal((await d.config('charger.current_limit')).value, '16', 'the change survived');
  assert.equal((await d.config('time.zone')).value, 'Europe/Rome');
  assert.match(d.stderr, /web: installer asked for a reboot/);

  // Factory reset: settings and accounts back to the defaults.
  expectStatus(await c.post('/api/maintenance/factory-reset', {}), 200, null, 'factory reset');
  assert.ok(await restarted(c), 'the web UI is back after the factory reset');
  await c.login('installer', 'Install-pass-1', 401);
  r = await c.login('installer', DEFAULT_PW.io7);
  assert.equal(r.json.data.must_change, true);
  assert.equal((await d.config('charger.current_limit')).value, '32');
  await d.stop();

  // A restart (stop, start) keeps the new password and settings.
  ({ d, base, ca } = await startWeb(t, args, { port }));
  const c2 = new Client(base, ca);
  await c2.firstLogin('installer', DEFAULT_PW.io7, 'Install-pass-2');
  expectStatus(await c2.patch('/api/settings', { values: { 'charger.current_limit': 25 } }), 200, null, 'set');
  await d.stop();
  ({ d, base, ca } = await startWeb(t, args, { port }));
  const c3 = new Client(base, ca);
  await c3.login('installer', 'Install-pass-2');
  const again = (await c3.get('/api/settings')).json.data.find((s) => s.key === 'charger.current_limit');
  assert.equal(again.value, '25');
});
