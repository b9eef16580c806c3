// SPDX-License-Identifier: MIT
//
// Local file servers for the Firmware Management scenarios (TC_044, TC_045):
// a small Node HTTP server (GET with Range, PUT / POST uploads, optional cut
// of the first response to make the charge point resume), an FTP server
// (ftp-srv, anonymous, on a scratch directory), both on free loopback ports,
// and evsed's firmware image format (docs/firmware.md).

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';

const require = createRequire(import.meta.url);

/** An evsed firmware image: magic, version, payload length, SHA-256, payload. */
export function fwImage(version, payload = crypto.randomBytes(4096)) {
  const h = Buffer.alloc(112);
  h.write('EVSEDFW1', 0, 'latin1');
  h.write(version, 8, 'latin1');
  h.writeBigUInt64BE(BigInt(payload.length), 72);
  crypto.createHash('sha256').update(payload).digest().copy(h, 80);
  return Buffer.concat([h, payload]);
}

/** The same image with one payload byte flipped: the checksum no longer holds. */
export function corrupted(img) {
  const b = Buffer.from(img);
  b[b.length - 1] ^= 0xff;
  return b;
}

/** A loopback port nothing listens on (bound, then released). */
export async function deadPort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

export class HttpFiles {
  constructor() {
    this.files = new Map();   // path -> Buffer served by GET
    this.uploads = new Map(); // path -> Buffer received by PUT / POST
    this.requests = [];       // {method, url, range}
    this.cutFirst = 0;        // > 0: the first GET sends only this many bytes, then drops
    this.noPut = false;       // true: PUT is answered 405 (Method Not Allowed)
    this.big = new Map();     // path -> size: zeros streamed (no Content-Length)
    this.bigSent = 0;         // bytes of them written so far
  }

  async start() {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = this.server.address().port;
    this.url = `http://127.0.0.1:${this.port}`;
    return this;
  }

  handle(req, res) {
    const range = req.headers.range;
    this.requests.push({ method: req.method, url: req.url, range, type: req.headers['content-type'] });
    if (req.method === 'PUT' && this.noPut) {
      req.resume();
      req.on('end', () => res.writeHead(405, { Allow: 'POST' }).end());
      return;
    }
    if (req.method === 'PUT' || req.method === 'POST') {
      const parts = [];
      req.on('data', (c) => parts.push(c));
      req.on('end', () => {
        this.uploads.set(req.url, Buffer.concat(parts));
        res.writeHead(201).end();
      });
      return;
    }
    if (req.method === 'GET' && this.big.has(req.url)) {
      let left = this.big.get(req.url);
      const chunk = Buffer.alloc(1 << 20);
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      const pump = () => {
        while (left > 0) {
          const n = Math.min(left, chunk.length);
          left -= n;
          this.bigSent += n;
          if (!res.write(chunk.subarray(0, n))) return res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => { left = 0; });
      pump();
      return;
    }
    const body = this.files.get(req.url);
    if (req.method !== 'GET' || !body) return res.writeHead(404).end();
    let start = 0;
    const m = range && /^bytes=(\d+)-$/.exec(range);
    if (m) {
      start = Number(m[1]);
      if (start >= body.length) return res.writeHead(416).end();
      res.writeHead(206, { 'Content-Length': body.length - start,
        'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}` });
    } else {
      res.writeHead(200, { 'Content-Length': body.length });
    }
    if (this.cutFirst > 0 && this.requests.filter((r) => r.method === 'GET').length === 1) {
      res.write(body.subarray(start, this.cutFirst));
      setTimeout(() => res.destroy(), 50);
      return;
    }
    res.end(body.subarray(start));
  }

  async close() {
    if (!this.server) return;
    this.server.closeAllConnections?.();
    await new Promise((r) => this.server.close(r));
    this.server = null;
  }
}

export class FtpFiles {
  /**
   * tls: {key, cert} (PEM) offers TLS: explicit (AUTH TLS on ftp://), or
   * implicit (ftps://, TLS from the first byte) with implicit: true.
   * logins records whether each login came over TLS.
   */
  constructor(root, { tls = null, implicit = false } = {}) {
    this.root = root;
    this.tls = tls;
    this.implicit = implicit;
    this.logins = [];
    fs.mkdirSync(root, { recursive: true });
  }

  async start() {
    const FtpSrv = require('ftp-srv');
    const bunyan = require('bunyan');
    const port = await freePort();
    const scheme = this.implicit ? 'ftps' : 'ftp';
    this.srv = new FtpSrv({
      url: `${scheme}://127.0.0.1:${port}`,
      pasv_url: '127.0.0.1',
      anonymous: true,
      greeting: 'evsed test FTP',
      tls: this.tls || false,
      log: bunyan.createLogger({ name: 'ftp', level: 'fatal' }),
    });
    this.srv.on('login', ({ connection }, resolve) => {
      this.logins.push({ secure: connection.secure });
      resolve({ root: this.root });
    });
    this.srv.on('client-error', () => {});
    await this.srv.listen();
    this.port = port;
    this.url = `${scheme}://127.0.0.1:${port}`;
    return this;
  }

  put(name, buf) { fs.writeFileSync(path.join(this.root, name), buf); }

  get(name) {
    const p = path.join(this.root, name);
    return fs.existsSync(p) ? fs.readFileSync(p) : undefined;
  }

  async close() {
    if (this.srv) await this.srv.close().catch(() => {});
    this.srv = null;
  }
}

async function freePort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/** The names and texts of the entries of a .tar.gz (tar from Debian). */
export function untar(buf, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const f = path.join(dir, 'archive.tar.gz');
  fs.writeFileSync(f, buf);
  const names = execFileSync('tar', ['-tzf', f], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const out = {};
  for (const n of names) out[n] = execFileSync('tar', ['-xzOf', f, n], { encoding: 'utf8' });
  assert.ok(names.length > 0, 'an empty archive');
  return out;
}
