// SPDX-License-Identifier: MIT
//
// OCTT TC_045_1_CS "Get Diagnostics of a Charge Point" (C10).
// Our reading of the OCTT case (its text was not at hand; TC_079, its
// GetLog twin, is documented the same way): the CSMS sends
// GetDiagnostics with a location; the charge point answers with the
// fileName it will upload, then reports DiagnosticsStatusNotification
// Uploading and Uploaded, and the file is at the location.
// Here: once to a local FTP server (ftp:// STOR), once to a local HTTP
// server (http:// PUT), once to one that refuses PUT (a multipart POST). The file is a .tar.gz with the log lines of the
// requested window (none outside it), the settings with the secrets
// removed (ocpp.password), the fault history (a fault raised and cleared
// before) and the sessions. A triggered DiagnosticsStatusNotification says
// Idle afterwards.
import path from 'node:path';
import { run, assert, booted } from './lib/evsed.mjs';
import { FtpFiles, HttpFiles, untar } from './lib/files.mjs';

run('TC_045_1', async (t) => {
  const ftp = await new FtpFiles(path.join(t.dir, 'ftp')).start();
  const web = await new HttpFiles().start();
  try {
    const csms = await t.csms();
    const ev = await t.evsed(csms, { args: ['--set', 'ocpp.password=s3cret-Pass'] });
    await booted(csms, 2);
    await ev.fault('overtemp', true, 1);
    await ev.advance(60);
    await ev.fault('overtemp', false, 1);
    await ev.advanceSteps(3600, 600);
    await csms.settle();

    // Only the log lines of the last half hour.
    const start = new Date(csms.clockMs - 1800 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    let m = csms.mark();
    const r = await csms.call('GetDiagnostics', { location: `${ftp.url}/`, startTime: start, stopTime: csms.now() });
    assert.match(r.fileName, /^diagnostics-CP1-\d{8}T\d{6}Z\.tar\.gz$/);
    const up = await csms.waitFor('DiagnosticsStatusNotification', () => true, { since: m });
    assert.equal(up.payload.status, 'Uploading');
    csms.assertAfterAnswer(up);
    const done = await csms.waitFor('DiagnosticsStatusNotification', () => true, { since: up.n + 1 });
    assert.equal(done.payload.status, 'Uploaded');
    const files = untar(ftp.get(r.fileName), path.join(t.dir, 'x1'));
    assert.deepEqual(Object.keys(files).sort(), ['evsed.log', 'faults.csv', 'sessions.csv', 'settings.txt']);
    assert.match(files['settings.txt'], /^ocpp\.password = \(secret, removed\)$/m);
    assert.ok(!files['settings.txt'].includes('s3cret-Pass'), 'no secret in the settings');
    for (const [name, text] of Object.entries(files))
      assert.ok(!text.includes('s3cret-Pass'), `no secret in ${name}`);
    assert.match(files['faults.csv'], /,1,overtemp,2026-01-01T00:00:00Z,2026-01-01T00:01:00Z$/m);
    const lines = files['evsed.log'].split('\n').filter(Boolean);
    assert.ok(lines.length > 0, 'log lines in the window');
    for (const l of lines) {
      const ts = l.split(' ')[0];
      assert.ok(ts >= start && ts <= csms.now(), `a log line outside the window: ${l}`);
    }

    // Over HTTP, the whole log.
    m = csms.mark();
    const r2 = await csms.call('GetDiagnostics', { location: `${web.url}/upload` });
    const up2 = await csms.waitFor('DiagnosticsStatusNotification', () => true, { since: m });
    const done2 = await csms.waitFor('DiagnosticsStatusNotification', () => true, { since: up2.n + 1 });
    assert.deepEqual([up2.payload.status, done2.payload.status], ['Uploading', 'Uploaded']);
    const put = web.requests.find((q) => q.method === 'PUT');
    assert.equal(put.url, `/upload/${r2.fileName}`);
    const all = untar(web.uploads.get(put.url), path.join(t.dir, 'x2'));
    assert.ok(all['evsed.log'].includes('overtemp'), 'the whole log without a window');

    // A server that refuses PUT (405): the archive goes as a multipart POST.
    web.noPut = true;
    m = csms.mark();
    const r3 = await csms.call('GetDiagnostics', { location: `${web.url}/form` });
    await csms.waitFor('DiagnosticsStatusNotification', (p) => p.status === 'Uploaded', { since: m });
    const post = web.requests.find((q) => q.method === 'POST');
    assert.equal(post.url, `/form/${r3.fileName}`);
    assert.match(post.type, /^multipart\/form-data; boundary=/);
    const form = web.uploads.get(post.url);
    assert.ok(form.includes(`name="file"; filename="${r3.fileName}"`), 'the file field');
    assert.ok(form.includes(Buffer.from([0x1f, 0x8b])), 'the gzip archive inside');

    m = csms.mark();
    assert.deepEqual(await csms.call('TriggerMessage', { requestedMessage: 'DiagnosticsStatusNotification' }),
      { status: 'Accepted' });
    assert.equal((await csms.waitFor('DiagnosticsStatusNotification', () => true, { since: m })).payload.status, 'Idle');
    await ev.stop();
  } finally {
    await ftp.close();
    await web.close();
  }
});
