// SPDX-License-Identifier: MIT
//
// The common start of the certificate scenarios: the CSMS and evsed on a
// simulated clock that starts an hour after now, so that certificates made
// now are valid on it.
import path from 'node:path';
import { makeCert } from './certs.mjs';

export async function certCase(t) {
  const start = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const csms = await t.csms({ clockStart: start });
  const ev = await t.evsed(csms, { args: ['--set', `clock.sim_start=${start}`] });
  const dir = path.join(t.dir, 'pki');
  return { csms, ev, dir, makeCert: (name, o) => makeCert(dir, name, o) };
}
