// SPDX-License-Identifier: MIT
//
// The fallback of a security profile upgrade (C12): the charge point at
// security profile 1 (Basic auth over ws://localhost:P) takes
// ChangeConfiguration SecurityProfile 2 and reconnects to wss://localhost:P.
// 1. The server there is still plain ws (no TLS): after 3 failed attempts
//    the charge point goes back to profile 1, reconnects with it by itself
//    and reports ReconfigurationOfSecurityParameters ("SecurityProfile 2
//    failed (...): back to 1"); SecurityProfile reads 1 again.
// 2. Upgraded again, the server now answers TLS with a certificate the
//    installed root did not sign (untrusted): the same fallback, and
//    InvalidCentralSystemCertificate (once, not once per attempt), both sent
//    over the connection at profile 1 that follows.
// 3. After a restart the charge point is at profile 1.
// 4. The OCTT's TC_083 flow (ChangeConfiguration, then Reset Hard at once,
//    the server going TLS): the trial survives the restart and the profile
//    is kept once the connection at 2 works (and after another restart).
import { run, assert, booted } from '../lib/evsed.mjs';
import { atProfile1, PASSWORD } from '../lib/security.mjs';

run('security_fallback', async (t) => {
  const { csms, pki, ev, url, profile: get } = await atProfile1(t);
  assert.deepEqual(await csms.call('InstallCertificate',
    { certificateType: 'CentralSystemRootCertificate', certificate: pki.ca.pem }), { status: 'Accepted' });

  // 1. No TLS server: back to 1 by itself.
  let m = csms.mark();
  let n = csms.connections;
  assert.deepEqual(await csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: '2' }),
    { status: 'Accepted' });
  await csms.waitConnected(n + 1, 20000);
  assert.equal(csms.passwords[csms.passwords.length - 1], PASSWORD);
  let e = await csms.waitFor('SecurityEventNotification',
    (p) => p.type === 'ReconfigurationOfSecurityParameters' && p.techInfo !== 'SecurityProfile', { since: m });
  assert.match(e.payload.techInfo, /^SecurityProfile 2 failed \(.+\): back to 1$/);
  assert.equal(await get(), '1');
  assert.equal((await ev.status()).ocpp.url, url);
  await csms.settle();

  // 2. An untrusted server certificate: back to 1, and the event of it.
  m = csms.mark();
  n = csms.connections;
  assert.deepEqual(await csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: '2' }),
    { status: 'Accepted' });
  await csms.secure(pki.untrusted);
  for (const deadline = Date.now() + 20000; (await ev.config('SecurityProfile')) !== '1';) {
    assert.ok(Date.now() < deadline, 'SecurityProfile never went back to 1');
    await new Promise((r) => setTimeout(r, 50));
  }
  await csms.secure({}, false); // plain again: profile 1 connects
  await csms.waitConnected(n + 1, 20000);
  const bad = await csms.waitFor('SecurityEventNotification',
    (p) => p.type === 'InvalidCentralSystemCertificate', { since: m });
  assert.match(bad.payload.techInfo, /TLS: server certificate not trusted/);
  e = await csms.waitFor('SecurityEventNotification',
    (p) => p.type === 'ReconfigurationOfSecurityParameters' && p.techInfo !== 'SecurityProfile', { since: m });
  assert.match(e.payload.techInfo, /^SecurityProfile 2 failed \(TLS: server certificate not trusted.*\): back to 1$/);
  await csms.settle();
  assert.equal(csms.since(m, 'SecurityEventNotification').filter((f) => f.payload.type === 'InvalidCentralSystemCertificate').length, 1,
    'one event for the attempts in a row');

  // 3. Back to 1 for good.
  await ev.stop();
  m = csms.mark();
  await ev.restart();
  await booted(csms, 2, m);
  assert.equal(await get(), '1');
  await csms.settle();

  // 4. The OCTT's TC_083 flow: the change, then at once Reset Hard; the
  // server goes TLS meanwhile. The trial survives the restart (durable
  // marker): evsed boots at profile 2 over TLS and keeps it.
  m = csms.mark();
  const [change, reset] = await Promise.all([
    csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: '2' }),
    csms.call('Reset', { type: 'Hard' })]);
  assert.deepEqual([change, reset], [{ status: 'Accepted' }, { status: 'Accepted' }]);
  await csms.secure(pki);
  await csms.waitFor('BootNotification', () => true, { since: m, timeoutMs: 20000 });
  await booted(csms, 2, m);
  assert.equal(await get(), '2');
  assert.equal((await ev.status()).ocpp.url, `wss://localhost:${csms.port}/ocpp`);
  await csms.settle();
  await ev.stop();
  m = csms.mark();
  await ev.restart();
  await booted(csms, 2, m);
  assert.equal(await get(), '2', 'kept: the trial is over');
  assert.equal(csms.since(m, 'SecurityEventNotification')
    .filter((f) => f.payload.type === 'ReconfigurationOfSecurityParameters' && f.payload.techInfo !== 'SecurityProfile').length, 0);
  await csms.settle();
  await ev.stop();
});
