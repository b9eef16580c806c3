// SPDX-License-Identifier: MIT
//
// OCTT TC_083_CS "Upgrade Charge Point Security Profile - Accepted" (C12),
// from 1 to 2, as the whitepaper asks rather than with the OCTT's Reset: the
// charge point runs security profile 1 (Basic auth over ws://localhost:P);
// the CSMS installs its root CA (InstallCertificate, the "CertificateInstalled"
// memory state) and sends ChangeConfiguration SecurityProfile 2: Accepted.
// The CSMS then restarts its server with TLS on the same endpoint (steps
// 15-18): the charge point reconnects by itself to wss://localhost:P (same
// host, port and path), verifying the server with the installed root and
// still sending Basic auth; no restart, no new BootNotification. A transaction
// that runs through it is not lost: its StopTransaction, queued while the
// link changes, goes out over the new connection with its transactionId.
// On top: before the root is installed, 2 is Rejected (nothing to verify a
// TLS server with); status.ocpp.url is the wss:// URL; the profile is stored
// once the new connection works (a restart connects with TLS at once);
// ReconfigurationOfSecurityParameters is reported; DeleteCertificate of the
// root that now verifies the connection (the only one) is Failed.
import { run, assert, booted, charging } from './lib/evsed.mjs';
import { hashData } from './lib/certs.mjs';
import { atProfile1, PASSWORD } from './lib/security.mjs';

run('TC_083', async (t) => {
  const { csms, pki, ev, profile: get } = await atProfile1(t);
  assert.equal(await get(), '1');

  assert.deepEqual(await csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: '2' }),
    { status: 'Rejected' }, 'no root to verify a TLS server yet');
  assert.deepEqual(await csms.call('InstallCertificate',
    { certificateType: 'CentralSystemRootCertificate', certificate: pki.ca.pem }), { status: 'Accepted' });
  const { tx } = await charging(ev, csms);

  const m = csms.mark();
  const n = csms.connections;
  assert.deepEqual(await csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: '2' }),
    { status: 'Accepted' });
  await csms.secure(pki);
  await ev.unplug(1); // the session ends while the link changes
  await csms.waitConnected(n + 1, 20000);
  assert.equal(csms.passwords[csms.passwords.length - 1], PASSWORD, 'Basic auth at profile 2');
  const stop = await csms.waitFor('StopTransaction', () => true, { since: m });
  assert.equal(stop.payload.transactionId, tx);
  assert.equal(stop.conn, n + 1, 'sent over the TLS connection');
  const e = await csms.waitFor('SecurityEventNotification',
    (p) => p.type === 'ReconfigurationOfSecurityParameters', { since: m });
  assert.equal(e.payload.techInfo, 'SecurityProfile');
  assert.equal(csms.since(m, 'BootNotification').length, 0, 'no reboot');
  const st = await ev.status();
  assert.equal(st.ocpp.url, `wss://localhost:${csms.port}/ocpp`);
  assert.equal(st.ocpp.connected, true);
  assert.equal(await get(), '2');
  // The root now verifies the connection: it cannot be deleted (the charge
  // point could never connect again; docs/ocpp.md, revocation).
  assert.deepEqual(await csms.call('DeleteCertificate', { certificateHashData: hashData(pki.ca.pem) }),
    { status: 'Failed' });
  await csms.settle();

  // Stored: after a restart the first connection is TLS already.
  await ev.stop();
  const k = csms.connections;
  const r = csms.mark();
  await ev.restart();
  await booted(csms, 2, r);
  assert.equal(csms.connections, k + 1, 'one connection: TLS at once');
  assert.equal(await get(), '2');
  await csms.settle();
  await ev.stop();
});
