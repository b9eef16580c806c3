// SPDX-License-Identifier: MIT
//
// OCTT TC_079_CS "Get Security Log" (C12), as the OCTT test case document
// (2025-06 draft) describes it: GetLog with logType SecurityLog; the charge
// point answers Accepted, sends LogStatusNotification Uploading then
// Uploaded, both with the GetLog's requestId, and the security log is at
// log.remoteLocation.
// Here the location is a local FTP server, and on top: the security events
// the log holds are also sent as SecurityEventNotification (strict mode
// validates them against the whitepaper's schemas): StartupOfTheDevice after
// the boot's statuses, ResetOrReboot for a Reset (queued durably before the
// restart) and StartupOfTheDevice again after it; the log holds them in order. ExtendedTriggerMessage
// LogStatusNotification says Idle afterwards; ExtendedTriggerMessage
// StatusNotification behaves as TriggerMessage. A GetLog DiagnosticsLog
// over http PUT uploads the diagnostics archive.
import path from 'node:path';
import { run, assert, booted } from './lib/evsed.mjs';
import { FtpFiles, HttpFiles, untar } from './lib/files.mjs';

run('TC_079', async (t) => {
  const ftp = await new FtpFiles(path.join(t.dir, 'ftp')).start();
  const web = await new HttpFiles().start();
  try {
    const csms = await t.csms();
    const ev = await t.evsed(csms);
    await booted(csms, 2);
    const start = await csms.waitFor('SecurityEventNotification', (p) => p.type === 'StartupOfTheDevice');
    const lastSn = csms.since(0, 'StatusNotification').pop();
    assert.ok(start.n > lastSn.n, 'the event after the statuses');
    await csms.settle();

    let m = csms.mark();
    assert.deepEqual(await csms.call('Reset', { type: 'Soft' }), { status: 'Accepted' });
    await csms.waitConnected(2);
    const boot = await csms.waitFor('BootNotification', () => true, { since: m });
    await booted(csms, 2, boot.n);
    // Queued before the restart: delivered before it, or after it.
    const reset = await csms.waitFor('SecurityEventNotification', (p) => p.type === 'ResetOrReboot', { since: m });
    assert.equal(reset.payload.techInfo, 'Reset Soft by the Central System');
    await csms.waitFor('SecurityEventNotification', (p) => p.type === 'StartupOfTheDevice', { since: boot.n });
    await csms.settle();
    await ev.d.waitReady();

    m = csms.mark();
    const r = await csms.call('GetLog', { log: { remoteLocation: `${ftp.url}/logs/` }, logType: 'SecurityLog', requestId: 7 });
    assert.equal(r.status, 'Accepted');
    assert.match(r.filename, /^securitylog-CP1-\d{8}T\d{6}Z\.log$/);
    const up = await csms.waitFor('LogStatusNotification', () => true, { since: m });
    assert.deepEqual(up.payload, { status: 'Uploading', requestId: 7 });
    csms.assertAfterAnswer(up);
    const done = await csms.waitFor('LogStatusNotification', () => true, { since: up.n + 1 });
    assert.deepEqual(done.payload, { status: 'Uploaded', requestId: 7 });
    const text = String(ftp.get(path.join('logs', r.filename)));
    const types = text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(' ')[1]);
    assert.deepEqual(types, ['StartupOfTheDevice', 'ResetOrReboot', 'StartupOfTheDevice'], text);

    m = csms.mark();
    assert.deepEqual(await csms.call('ExtendedTriggerMessage', { requestedMessage: 'LogStatusNotification' }),
      { status: 'Accepted' });
    assert.deepEqual((await csms.waitFor('LogStatusNotification', () => true, { since: m })).payload, { status: 'Idle' });
    m = csms.mark();
    assert.deepEqual(await csms.call('ExtendedTriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 1 }),
      { status: 'Accepted' });
    assert.equal((await csms.waitFor('StatusNotification', () => true, { since: m })).payload.connectorId, 1);
    assert.deepEqual(await csms.call('ExtendedTriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 3 }),
      { status: 'Rejected' });

    m = csms.mark();
    const r2 = await csms.call('GetLog', { log: { remoteLocation: `${web.url}/up` }, logType: 'DiagnosticsLog', requestId: 8 });
    assert.equal(r2.status, 'Accepted');
    await csms.waitFor('LogStatusNotification', (p) => p.status === 'Uploaded' && p.requestId === 8, { since: m });
    const files = untar(web.uploads.get(`/up/${r2.filename}`), path.join(t.dir, 'x'));
    assert.ok(files['settings.txt'] && files['evsed.log'], Object.keys(files).join());
    await csms.settle();
    await ev.stop();
  } finally {
    await ftp.close();
    await web.close();
  }
});
