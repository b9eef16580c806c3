// SPDX-License-Identifier: MIT
//
// Helpers of the web UI tests: an evsed with its web UI on a free loopback
// port (through the integration harness, ../integration/lib.mjs), and a
// small HTTPS client that keeps the session cookie and the CSRF token the
// way the browser UI does. The server's certificate is checked: it is the
// self-signed one evsed made in its data directory, trusted explicitly.

import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';

import { assert } from '../integration/lib.mjs';

export * from '../integration/lib.mjs';

/** A TCP port free on 127.0.0.1 now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Start evsed (t.start) with its web UI on a free port; returns
 * {d, port, base, ca}. */
export async function startWeb(t, args = [], opts = {}) {
  const port = opts.port || await freePort();
  const d = await t.start([...args, '--set', `web.listen=127.0.0.1:${port}`], opts);
  const dir = opts.dir || t.dir;
  const certPath = path.join(dir, 'var', 'web-cert.pem');
  assert.match(d.stdout, new RegExp(`web UI: https://127\\.0\\.0\\.1:${port}/`),
    'the start line prints the URL');
  return { d, port, base: `https://127.0.0.1:${port}`, ca: fs.readFileSync(certPath) };
}

/** One browser-like client: a cookie jar of one cookie and the CSRF token. */
export class Client {
  constructor(base, ca) {
    this.base = base;
    this.ca = ca;
    this.cookie = '';
    this.csrf = '';
  }

  /** {status, headers, text, json}. body: an object (sent as JSON) or a
   * string / Buffer (sent as is). csrf: false = leave the header out. */
  req(method, p, { body, csrf = true, headers = {} } = {}) {
    const data = body === undefined ? null
      : (typeof body === 'string' || Buffer.isBuffer(body)) ? body : JSON.stringify(body);
    const h = { ...headers };
    if (data !== null) {
      h['content-type'] = 'application/json';
      h['content-length'] = Buffer.byteLength(data);
    }
    if (this.cookie) h.cookie = this.cookie;
    if (csrf && this.csrf) h['x-csrf-token'] = this.csrf;
    return new Promise((resolve, reject) => {
      const r = https.request(`${this.base}${p}`, { method, headers: h, ca: this.ca, agent: false },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c) => { text += c; });
          res.on('end', () => {
            const sc = res.headers['set-cookie'];
            if (sc) {
              const m = /^evsed_session=([^;]*)/.exec(sc[0]);
              if (m) this.cookie = m[1] ? `evsed_session=${m[1]}` : '';
            }
            let json = null;
            try { json = JSON.parse(text); } catch { /* not JSON */ }
            resolve({ status: res.statusCode, headers: res.headers, text, json });
          });
        });
      r.on('error', reject);
      r.setTimeout(15000, () => r.destroy(new Error(`${method} ${p}: no answer in 15 s`)));
      if (data !== null) r.write(data);
      r.end();
    });
  }

  /** GET an event stream: {status, event} with the first event's data
   * parsed, then the connection is dropped; a refusal resolves as req().
   * ended() of the result resolves when the server ends the stream. */
  events(p = '/api/events', { timeoutMs = 5000 } = {}) {
    const h = this.cookie ? { cookie: this.cookie } : {};
    return new Promise((resolve, reject) => {
      const r = https.request(`${this.base}${p}`, { method: 'GET', headers: h, ca: this.ca, agent: false }, (res) => {
        let text = '';
        const got = [];
        const waiters = [];
        res.setEncoding('utf8');
        res.on('data', (c) => {
          text += c;
          let i;
          while (res.statusCode === 200 && (i = text.indexOf('\n\n')) >= 0) {
            const ev = text.slice(0, i);
            text = text.slice(i + 2);
            assert.match(ev, /^data: /, 'an event is one data line');
            got.push(JSON.parse(ev.slice(6)));
            while (waiters.length && got.length) waiters.shift()(got.shift());
          }
        });
        const stream = {
          status: res.statusCode,
          headers: res.headers,
          next: (ms = 5000) => new Promise((ok, ko) => {
            if (got.length) return ok(got.shift());
            const tm = setTimeout(() => ko(new Error(`${p}: no event within ${ms} ms`)), ms);
            waiters.push((e) => { clearTimeout(tm); ok(e); });
          }),
          ended: new Promise((ok) => res.on('end', ok).on('close', ok)),
          close: () => r.destroy(),
        };
        if (res.statusCode !== 200) {
          res.on('end', () => { let json = null; try { json = JSON.parse(text); } catch { /* */ } resolve({ ...stream, text, json }); });
          return;
        }
        resolve(stream);
      });
      r.on('error', (e) => { if (e.code !== 'ECONNRESET') reject(e); });
      r.setTimeout(timeoutMs * 3, () => r.destroy());
      r.end();
    });
  }

  get(p, o) { return this.req('GET', p, o); }
  post(p, body, o = {}) { return this.req('POST', p, { ...o, body }); }
  patch(p, body, o = {}) { return this.req('PATCH', p, { ...o, body }); }

  /** Log in; expect `status`. Keeps the CSRF token. */
  async login(user, password, status = 200) {
    const r = await this.post('/api/login', { user, password });
    assert.equal(r.status, status, `login ${user}: ${r.text}`);
    if (r.status === 200) this.csrf = r.json.data.csrf;
    return r;
  }

  /** Log in with a default password and set a new one. */
  async firstLogin(user, defaultPw, newPw) {
    const r = await this.login(user, defaultPw);
    assert.equal(r.json.data.must_change, true, `${user}: a default password must be changed`);
    const p = await this.post('/api/password', { current: defaultPw, new: newPw });
    assert.equal(p.status, 200, `password change: ${p.text}`);
    assert.equal(p.json.data.must_change, false);
  }
}

/** Assert an answer: status, and for JSON errors the message (regexp). */
export function expectStatus(r, status, re, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${r.status}: ${r.text}`);
  if (re) assert.match(r.json?.error ?? r.text, re, `${what}: error message`);
}

export const DEFAULT_PW = { io7: 'Ratioio7', mq200: 'howru2RU2IC3', evplus: '123456' };
