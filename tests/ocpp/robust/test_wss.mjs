// SPDX-License-Identifier: MIT
//
// OCPP over wss (issue 3, C1): a test CA and a server certificate for
// localhost / 127.0.0.1 made with the `openssl` command, an ocpp-rpc CSMS
// (strict) behind a Node https server. evsed with ocpp.url=wss://localhost,
// ocpp.ca_file=<the CA> and ocpp.password=secret connects, sends HTTP Basic
// auth CP1:secret, boots and runs a transaction over TLS; with the CA file
// of another CA the server certificate is refused, the reason ("TLS ...") is
// in evsed's log, nothing reaches the CSMS and `status` says not connected.

import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { assert, test, exec, waitFor, evsedArgs, Csms } from './lib.mjs';

const OPENSSL = process.env.OPENSSL || 'openssl';

/** CA, another CA, and a server certificate from the first for localhost. */
async function makePki(dir) {
  const f = (n) => path.join(dir, n);
  const ssl = async (...a) => {
    let r;
    try {
      r = await exec(OPENSSL, a);
    } catch (e) {
      assert.fail(`${OPENSSL}: ${e.code === 'ENOENT' ? 'not installed (apt-get install openssl)' : e.message}`);
    }
    assert.equal(r.code, 0, `${OPENSSL} ${a.join(' ')}: ${r.stderr}`);
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  const ca = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'];
  await ssl('req', '-x509', ...ec, ...ca, '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2',
    '-subj', '/CN=evsed robustness test CA');
  await ssl('req', '-x509', ...ec, ...ca, '-keyout', f('other.key'), '-out', f('other-ca.pem'), '-days', '2',
    '-subj', '/CN=some other CA');
  await ssl('req', ...ec, '-keyout', f('srv.key'), '-out', f('srv.csr'), '-subj', '/CN=localhost');
  fs.writeFileSync(f('ext.cnf'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  await ssl('x509', '-req', '-in', f('srv.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'),
    '-CAcreateserial', '-out', f('srv.pem'), '-days', '2', '-extfile', f('ext.cnf'));
  return { ca: f('ca.pem'), otherCa: f('other-ca.pem'), cert: fs.readFileSync(f('srv.pem')), key: fs.readFileSync(f('srv.key')) };
}

test('wss', async (t) => {
  const pki = await makePki(t.dir);
  const csms = new Csms();
  const httpsServer = https.createServer({ cert: pki.cert, key: pki.key });
  const tlsErrors = [];
  httpsServer.on('tlsClientError', (e) => tlsErrors.push(e.message));
  csms.attach(httpsServer);
  await new Promise((resolve, reject) => {
    httpsServer.once('error', reject);
    httpsServer.listen(0, '127.0.0.1', resolve);
  });
  t.defer(() => new Promise((r) => httpsServer.close(() => r())));
  t.defer(() => csms.close());
  t.note(() => csms.log());
  const port = httpsServer.address().port;
  const url = `wss://localhost:${port}/ocpp`;

  // The right CA: connected, authenticated, booted.
  const dirA = path.join(t.dir, 'a');
  fs.mkdirSync(dirA);
  const d = await t.start(evsedArgs({
    url, extra: ['--set', `ocpp.ca_file=${pki.ca}`, '--set', 'ocpp.password=secret'],
  }), { dir: dirA });
  await waitFor(() => csms.of('BootNotification').length === 1, 15000, 'BootNotification over wss');
  assert.equal(csms.handshakes.length, 1);
  const hs = csms.handshakes[0];
  assert.equal(hs.identity, 'CP1', 'identity from the URL path');
  assert.equal(hs.endpoint, '/ocpp');
  assert.deepEqual(hs.protocols, ['ocpp1.6']);
  assert.equal(hs.authorization, `Basic ${Buffer.from('CP1:secret').toString('base64')}`, 'HTTP Basic auth CP1:secret');
  assert.equal(hs.password, 'secret', 'ocpp-rpc reads the password for identity CP1');
  const st = await waitFor(async () => {
    const s = await d.status();
    return s.ocpp.connected && s.ocpp.boot === 'Accepted' && s;
  }, 10000, 'status: connected and booted');
  assert.equal(st.ocpp.url, url);
  assert.ok(st.ocpp.bytes_sent > 0 && st.ocpp.bytes_received > 0, 'byte counters move');

  // A transaction over TLS.
  await d.ok('card', 'add', 'CARD1');
  await d.ok('plug', '1');
  await d.ok('swipe', 'CARD1');
  await d.ok('unplug', '1');
  await waitFor(() => csms.of('StopTransaction').length === 1, 10000, 'StopTransaction over wss');
  assert.deepEqual(csms.failures, [], 'no strict validation failure at the CSMS');
  const cfg = await d.ctl('config', 'get', 'ocpp.password');
  assert.doesNotMatch(cfg.stdout + cfg.stderr, /secret/, 'config get never shows the password');
  assert.doesNotMatch(d.stderr, /secret/, 'the log never shows the password');
  await d.stop();

  // Another CA: the server is not trusted, and evsed says so.
  const dirB = path.join(t.dir, 'b');
  fs.mkdirSync(dirB);
  const tlsBefore = tlsErrors.length;
  const e = await t.start(evsedArgs({
    url, extra: ['--set', `ocpp.ca_file=${pki.otherCa}`, '--set', 'ocpp.password=secret'],
  }), { dir: dirB });
  await waitFor(() => (e.stderr.match(/ocpp: no connection \(TLS[^\n]*/g) || []).length >= 2, 15000,
    'two refused attempts with a TLS reason in the log');
  const why = e.stderr.match(/ocpp: no connection \(TLS[^\n]*/)[0];
  t.log(`refused: ${why}`);
  assert.match(why, /certificate|verif|trust/i, 'the reason names the certificate');
  const s2 = await e.status();
  assert.equal(s2.ocpp.connected, false, 'status: not connected');
  assert.notEqual(s2.ocpp.boot, 'Accepted');
  assert.equal(csms.handshakes.length, 1, 'no WebSocket upgrade reached the CSMS');
  assert.equal(csms.of('BootNotification').length, 1, 'no BootNotification either');
  assert.ok(tlsErrors.length > tlsBefore, 'the server saw the TLS handshake fail');
  assert.doesNotMatch(e.stderr, /secret/, 'the log never shows the password');
  await e.stop();
}, { timeoutMs: 60000 });
