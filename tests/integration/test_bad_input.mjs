// SPDX-License-Identifier: MIT
// Bad input never hurts: evsed refuses bad settings with exit 2 and one line
// naming the key and the reason; evsectl refuses bad commands with the
// documented exit codes; raw clients sending garbage or a huge line on the
// control socket are answered with an error and disconnected; the daemon goes
// on serving everyone else with its state unchanged.
import fs from 'node:fs';
import net from 'node:net';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { assert, run, SIM, evsedOnce, exec, EVSECTL } from './lib.mjs';

/** evsed must exit 2 at once, with exactly one stderr line matching re. */
async function refused(dir, args, re, what) {
  const r = await evsedOnce(args, { cwd: dir });
  assert.equal(r.code, 2, `${what}: evsed ${args.join(' ')} must exit 2, got ${r.code} ${r.signal ?? ''}\n${r.stderr}`);
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, `${what}: one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0], re, `${what}: message`);
  assert.ok(!fs.existsSync(path.join(dir, 'var', 'evsed.sock')), `${what}: no control socket left behind`);
  return lines[0];
}

/** Connect a raw client to the control socket, send data, collect what comes
 * back until the daemon closes the connection (bounded). For small requests
 * only: see hugeLine. */
function rawClient(sockPath, data, { timeoutMs = 10000 } = {}) {
  return new Promise((resolve, reject) => {
    const s = net.createConnection(sockPath);
    let got = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`raw client: the daemon did not disconnect within ${timeoutMs} ms (got ${JSON.stringify(got.slice(0, 300))})`));
    }, timeoutMs);
    s.setEncoding('utf8');
    s.on('data', (d) => { got += d; });
    s.on('error', () => {}); // ECONNRESET when the daemon hangs up: the close below
    s.on('close', () => { clearTimeout(timer); resolve(got); });
    s.on('connect', () => { s.write(data); });
  });
}

// Writes `bytes` bytes of 'a' and a newline to fd 3 (the shared socket) until
// the daemon hangs up; prints how it ended. Synchronous writes, so that an
// EPIPE cannot make node drop what the daemon answered before hanging up
// (node destroys a socket whose write fails, unread answer included).
const WRITER = `
const fs = require('node:fs');
const total = Number(process.argv[1]);
const buf = Buffer.alloc(1 << 16, 'a');
const nap = new Int32Array(new SharedArrayBuffer(4));
const deadline = Date.now() + 20000;
let left = total, nl = false;
for (;;) {
  try {
    if (left > 0) left -= fs.writeSync(3, buf, 0, Math.min(buf.length, left));
    else if (!nl) { fs.writeSync(3, '\\n'); nl = true; }
    else { console.log('all ' + total + ' bytes accepted'); break; }
  } catch (e) {
    if (e.code !== 'EAGAIN') { console.log(e.code + ' after ' + (total - left) + ' bytes'); break; }
    if (Date.now() > deadline) { console.log('stalled after ' + (total - left) + ' bytes'); break; }
    Atomics.wait(nap, 0, 0, 2);
  }
}`;

/** A raw client sending one line of `bytes` bytes: what the daemon answered
 * before it hung up, and how the writing ended. */
function hugeLine(sockPath, bytes, { timeoutMs = 20000 } = {}) {
  return new Promise((resolve, reject) => {
    const s = net.createConnection(sockPath);
    let got = '';
    let writer = '';
    let closed = false;
    let written = false;
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`huge line: the daemon did not disconnect within ${timeoutMs} ms (writer: ${writer.trim()}, got ${JSON.stringify(got.slice(0, 300))})`));
    }, timeoutMs);
    const done = () => {
      if (closed && written) {
        clearTimeout(timer);
        resolve({ got, writer: writer.trim() });
      }
    };
    s.setEncoding('utf8');
    s.on('data', (d) => { got += d; });
    s.on('error', () => {}); // ECONNRESET when the daemon hangs up: the close below
    s.on('close', () => { closed = true; done(); });
    s.on('connect', () => {
      const w = spawn(process.execPath, ['-e', WRITER, String(bytes)],
        { stdio: ['ignore', 'pipe', 'inherit', s] });
      w.stdout.setEncoding('utf8');
      w.stdout.on('data', (d) => { writer += d; });
      w.on('error', (e) => { clearTimeout(timer); s.destroy(); reject(e); });
      w.on('close', () => { written = true; done(); });
      s.resume(); // spawn() pauses a socket it shares; this side only reads
    });
  });
}

/** Numbers rounded to 3 decimals (evsectl prints 10 significant digits). */
function rounded(v) {
  if (typeof v === 'number') return Math.round(v * 1000) / 1000;
  if (Array.isArray(v)) return v.map(rounded);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rounded(x)]));
  return v;
}

function errorLine(got, what) {
  const lines = got.split('\n').filter((l) => l !== '');
  assert.ok(lines.length >= 1, `${what}: an error line before the disconnect, got nothing`);
  let r;
  try {
    r = JSON.parse(lines[0]);
  } catch {
    assert.fail(`${what}: the answer is not a JSON line: ${JSON.stringify(lines[0].slice(0, 200))}`);
  }
  assert.equal(r.ok, false, `${what}: answer ${lines[0]}`);
  assert.equal(typeof r.error, 'string');
  assert.ok(r.error.length > 0);
  return r;
}

run('bad_input', async (t) => {
  // --- help and version: exit 0, no daemon ---------------------------------
  const help = await evsedOnce(['--help'], { cwd: t.dir });
  assert.equal(help.code, 0, `evsed --help: ${help.stderr}`);
  assert.match(help.stdout, /usage: evsed/);
  assert.ok(!fs.existsSync(path.join(t.dir, 'var')), 'evsed --help creates no store');
  const ver = await evsedOnce(['--version'], { cwd: t.dir });
  assert.equal(ver.code, 0);
  assert.match(ver.stdout, /^evsed \S+/);
  // An unknown option: exit 2, the first line names it (usage may follow).
  const unk = await evsedOnce(['--frobnicate'], { cwd: t.dir });
  assert.equal(unk.code, 2, `evsed --frobnicate: exit ${unk.code}`);
  assert.match(unk.stderr.split('\n')[0], /--frobnicate/);

  // --- evsed: bad command line / settings -> exit 2, one line -----------
  await refused(t.dir, [...SIM, '--set', 'profile=foo'], /profile.*foo/, 'unknown profile');
  await refused(t.dir, [...SIM, '--set', 'nosuch.key=1'], /nosuch\.key.*unknown/, 'unknown key');
  await refused(t.dir, [...SIM, '--set', 'charger.current_limit=99'],
    /charger\.current_limit: .*(6|63)/, 'out of range');
  const url = await refused(t.dir, [...SIM, '--set', 'ocpp.url=http://x'], /ocpp\.url/, 'bad URL');
  assert.equal(url, 'evsed: ocpp.url: must start with ws:// or wss://');

  const bad = path.join(t.dir, 'bad.conf');
  fs.writeFileSync(bad, '# evsed settings\nclock = sim\n\nthis line is not a setting\n');
  await refused(t.dir, ['-c', bad], new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4\\b`),
    'unreadable settings line (file:line)');
  const bad2 = path.join(t.dir, 'bad2.conf');
  fs.writeFileSync(bad2, 'clock = sim\n[charger]\ncurrent_limit = 5\n');
  await refused(t.dir, ['-c', bad2], /bad2\.conf:3\b.*charger\.current_limit/, 'bad value in a file');
  await refused(t.dir, ['-c', path.join(t.dir, 'missing.conf')], /missing\.conf/, 'missing settings file');

  // --- evsectl against a running daemon --------------------------------
  const d = await t.start(SIM);
  await d.ok('card', 'add', 'CARD1');
  await d.ok('plug', '1');
  await d.ok('swipe', 'CARD1');
  await d.ok('ev', '1', 'charge');
  await d.advance(60);
  const before = await d.status();
  const same = async (what) => {
    assert.ok(!d.exited, `${what}: evsed died: ${JSON.stringify(d.exited)}`);
    assert.deepEqual(await d.status(), before, `${what}: status changed`);
  };

  await d.fails(1, /1-2/, 'plug', '9');
  await same('plug 9');
  await d.fails(1, /1-2/, 'plug', '0');
  await d.fails(1, /connector/, 'ev', 'x', 'charge');
  await same('ev x charge');
  await d.fails(2, /./, 'frobnicate');
  await same('unknown command');
  await d.fails(2, /fly/, 'ev', '1', 'fly');
  await same('ev 1 fly');
  await d.fails(2, /./, 'time', 'advance', 'soon');
  await d.fails(2, /./, 'time', 'advance', '-5');
  await d.fails(2, /./, 'fault', 'nosuchfault', 'on');
  await d.fails(2, /./, 'plug');
  await d.fails(2, /./, 'plug', '1', '--max');
  await d.fails(2, /./, 'config', 'frob');
  await same('bad arguments');
  const noCmd = await exec(EVSECTL, ['-s', d.sock], { cwd: d.dir });
  assert.equal(noCmd.code, 2, `evsectl without a command: exit 2, got ${noCmd.code}`);
  const badOpt = await exec(EVSECTL, ['-s', d.sock, '--bogus', 'status'], { cwd: d.dir });
  assert.equal(badOpt.code, 2, `evsectl --bogus: exit 2, got ${badOpt.code}`);
  await same('evsectl usage errors');

  const nod = await exec(EVSECTL, ['-s', path.join(t.dir, 'nobody.sock'), 'status'], { cwd: t.dir });
  assert.equal(nod.code, 3, `no daemon at the socket: exit 3, got ${nod.code} ${nod.stderr}`);
  assert.match(nod.stderr, /nobody\.sock/);
  await same('no daemon elsewhere');

  // --- raw clients on the control socket -------------------------------
  const sock = path.join(d.dir, 'var', 'evsed.sock');
  let got = await rawClient(sock, 'this is not json\n');
  errorLine(got, 'garbage line');
  await same('garbage line');

  got = await rawClient(sock, '{"cmd": 42}\n{"cmd":"status","args":[]}\n');
  errorLine(got, 'bad request object');
  await same('bad request object');

  // A line of 10 MB (the daemon's cap is far lower).
  const t0 = Date.now();
  const big = await hugeLine(sock, 10 * 1024 * 1024);
  const r = errorLine(big.got, '10 MB line');
  assert.match(r.error, /too long|limit|large/i, `10 MB line: ${r.error}`);
  assert.doesNotMatch(big.writer, /accepted/, 'the daemon must not swallow a 10 MB line');
  t.log(`10 MB line refused in ${Date.now() - t0} ms (${big.writer}): ${r.error}`);
  await same('10 MB line');

  // A well-formed request on a raw socket is answered and the connection
  // stays usable for a second request.
  const ok = await new Promise((resolve, reject) => {
    const s = net.createConnection(sock);
    let buf = '';
    const answers = [];
    const timer = setTimeout(() => { s.destroy(); reject(new Error('raw status: no answer')); }, 10000);
    s.setEncoding('utf8');
    s.on('error', (e) => { clearTimeout(timer); reject(e); });
    s.on('data', (x) => {
      buf += x;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        answers.push(JSON.parse(buf.slice(0, i)));
        buf = buf.slice(i + 1);
        if (answers.length === 1) s.write('{"cmd":"status","args":[]}\n');
        if (answers.length === 2) { clearTimeout(timer); s.end(); resolve(answers); }
      }
    });
    s.on('connect', () => s.write('{"cmd":"status","args":[]}\n'));
  });
  assert.equal(ok[0].ok, true);
  assert.deepEqual(rounded(ok[1].data), rounded(before), 'raw status equals evsectl status');

  // Several clients at once while another sends garbage.
  const results = await Promise.all([
    d.json('status'),
    rawClient(sock, '\u0000\u0001\u0002 binary junk\n'),
    d.json('status'),
  ]);
  assert.deepEqual(results[0], before);
  assert.deepEqual(results[2], before);
  errorLine(results[1], 'binary junk');

  await same('after everything');
  // The session still runs and still counts energy.
  await d.advance(60);
  const c = await d.conn(1);
  assert.equal(c.state, 'Charging');
  assert.ok(c.energy_wh > before.connectors[0].energy_wh);
  await d.stop();
});
