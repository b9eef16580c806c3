// SPDX-License-Identifier: MIT
//
// Certificates for the security-extension scenarios (TC_075 ... TC_078):
// made with the `openssl` command (Debian openssl, as tests/ocpp/robust/
// test_wss.mjs), and their OCPP hash data computed here independently of
// evsed (a small DER reader over node:crypto): SHA-256 of the DER issuer
// name and of the subject public key bits, the serial in lower-case hex
// without leading zeroes.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const OPENSSL = process.env.OPENSSL || 'openssl';

/** A self-signed certificate in dir: {pem, file}; ca false makes a leaf. */
export function makeCert(dir, name, { ca = true, serial = '0x1234' } = {}) {
  fs.mkdirSync(dir, { recursive: true });
  const key = path.join(dir, `${name}.key`), file = path.join(dir, `${name}.pem`);
  const ext = ca ? ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']
    : ['-addext', 'basicConstraints=critical,CA:FALSE'];
  try {
    execFileSync(OPENSSL, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', file, '-subj', `/CN=${name}/O=evsed tests`, '-days', '3650',
      '-set_serial', serial, ...ext], { stdio: 'pipe' });
  } catch (e) {
    assert.fail(`${OPENSSL}: ${e.code === 'ENOENT' ? 'not installed (apt-get install openssl)' : e.message}`);
  }
  return { pem: fs.readFileSync(file, 'utf8'), file };
}

/** One DER element at offset i: {tag, start (of contents), len, end}. */
function tlv(buf, i) {
  const tag = buf[i];
  let len = buf[i + 1];
  let start = i + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let k = 0; k < n; k++) len = len * 256 + buf[i + 2 + k];
    start += n;
  }
  return { tag, start, len, end: start + len, at: i };
}

/** The children of a constructed element. */
function children(buf, el) {
  const out = [];
  for (let i = el.start; i < el.end;) {
    const c = tlv(buf, i);
    out.push(c);
    i = c.end;
  }
  return out;
}

/** OCPP CertificateHashData of a self-signed PEM certificate. */
export function hashData(pem, alg = 'sha256') {
  const der = new crypto.X509Certificate(pem).raw;
  const tbs = children(der, tlv(der, 0))[0];
  let f = children(der, tbs);
  if (f[0].tag === 0xa0) f = f.slice(1); // [0] version
  const issuer = f[2];
  const spki = f[5];
  const bits = children(der, spki)[1]; // BIT STRING: unused-bits byte, then the key
  const h = (b) => crypto.createHash(alg).update(b).digest('hex');
  const serial = BigInt(new crypto.X509Certificate(pem).serialNumber.replace(/^/, '0x')).toString(16);
  return {
    hashAlgorithm: alg.toUpperCase(),
    issuerNameHash: h(der.subarray(issuer.at, issuer.end)),
    issuerKeyHash: h(der.subarray(bits.start + 1, bits.end)),
    serialNumber: serial,
  };
}

/** A certificate for key usage digitalSignature issued by ca ({file, key}
 * of makeCert): {pem, file, key (PEM of its private key)}. */
export function makeSigned(dir, name, ca, { serial = '0x5678' } = {}) {
  const key = path.join(dir, `${name}.key`), csr = path.join(dir, `${name}.csr`);
  const file = path.join(dir, `${name}.pem`), ext = path.join(dir, `${name}.ext`);
  fs.writeFileSync(ext, 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n');
  execFileSync(OPENSSL, ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', csr, '-subj', `/CN=${name}/O=evsed tests`], { stdio: 'pipe' });
  execFileSync(OPENSSL, ['x509', '-req', '-in', csr, '-CA', ca.file, '-CAkey', ca.file.replace(/\.pem$/, '.key'),
    '-set_serial', serial, '-days', '3650', '-extfile', ext, '-out', file], { stdio: 'pipe' });
  return { pem: fs.readFileSync(file, 'utf8'), file, key: fs.readFileSync(key, 'utf8') };
}

/** The base64 SHA-256 signature of data with a PEM private key. */
export function signB64(data, keyPem) {
  return crypto.sign('sha256', data, keyPem).toString('base64');
}

/** Sign a PEM certificate signing request with ca (makeCert's): the PEM
 * certificate. */
export function signCsr(dir, name, csrPem, ca, { days = 365, serial = '0x4242' } = {}) {
  const csr = path.join(dir, `${name}.csr`), file = path.join(dir, `${name}.pem`);
  fs.writeFileSync(csr, csrPem);
  execFileSync(OPENSSL, ['x509', '-req', '-in', csr, '-CA', ca.file, '-CAkey', ca.file.replace(/\.pem$/, '.key'),
    '-set_serial', serial, '-days', String(days), '-out', file], { stdio: 'pipe' });
  return fs.readFileSync(file, 'utf8');
}

/** The subject and the verification of a PEM CSR (openssl req -verify). */
export function csrInfo(dir, csrPem) {
  const csr = path.join(dir, 'check.csr');
  fs.writeFileSync(csr, csrPem);
  const out = execFileSync(OPENSSL, ['req', '-in', csr, '-noout', '-verify', '-subject'], { encoding: 'utf8', stdio: 'pipe' });
  return out;
}

/** A Central System PKI in dir for the TLS scenarios (TC_083, TC_086): a root
 * CA (ca: {pem, file}) and a server certificate it signed for localhost
 * (cert, key: PEM); untrusted: a server certificate for localhost signed by
 * another CA, which the charge point has no reason to trust; expired: one
 * the root signed, valid only in January 2020. */
export function serverPki(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const f = (n) => path.join(dir, n);
  const ssl = (...a) => {
    try {
      execFileSync(OPENSSL, a, { stdio: 'pipe' });
    } catch (e) {
      assert.fail(`${OPENSSL}: ${e.code === 'ENOENT' ? 'not installed (apt-get install openssl)' : e.message}`);
    }
  };
  fs.writeFileSync(f('srv.cnf'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  const leaf = (caName, name) => {
    ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', '/CN=localhost');
    ssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f(`${caName}.pem`), '-CAkey', f(`${caName}.key`),
      '-set_serial', '0x77', '-out', f(`${name}.pem`), '-days', '2', '-extfile', f('srv.cnf'));
    return { cert: fs.readFileSync(f(`${name}.pem`), 'utf8'), key: fs.readFileSync(f(`${name}.key`), 'utf8') };
  };
  const ca = makeCert(dir, 'csroot');
  makeCert(dir, 'otherroot', { serial: '0x4321' });
  // Expired (2020): signed by the right root, back-dated with `openssl ca`
  // (x509 -req cannot set the dates).
  ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', f('old.key'), '-out', f('old.csr'), '-subj', '/CN=localhost');
  fs.writeFileSync(f('index.txt'), '');
  fs.writeFileSync(f('serial'), '01\n');
  fs.writeFileSync(f('ca.cnf'), `[ca]\ndefault_ca=d\n[d]\ndatabase=${f('index.txt')}\nnew_certs_dir=${dir}\n` +
    `serial=${f('serial')}\ndefault_md=sha256\npolicy=p\n[p]\ncommonName=supplied\n`);
  ssl('ca', '-batch', '-config', f('ca.cnf'), '-cert', f('csroot.pem'), '-keyfile', f('csroot.key'),
    '-in', f('old.csr'), '-out', f('old.pem'), '-startdate', '20200101000000Z', '-enddate', '20200102000000Z',
    '-extfile', f('srv.cnf'), '-notext');
  const expired = { cert: fs.readFileSync(f('old.pem'), 'utf8'), key: fs.readFileSync(f('old.key'), 'utf8') };
  return { ca, ...leaf('csroot', 'srv'), untrusted: leaf('otherroot', 'bad'), expired };
}
