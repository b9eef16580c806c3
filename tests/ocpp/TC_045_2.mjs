// SPDX-License-Identifier: MIT
//
// OCTT TC_045_2_CS "Get Diagnostics - Upload failed" (C10).
// Our reading of the OCTT case (its text was not at hand): GetDiagnostics
// with a location the charge point cannot upload to; it answers with a
// fileName, reports DiagnosticsStatusNotification Uploading and, once its
// tries are spent, UploadFailed.
// Here the location names a loopback port nothing listens on; retries 2,
// retryInterval 20 s: three tries 20 s apart, then UploadFailed. While the
// upload runs a second GetDiagnostics gets no fileName. No archive is left
// in the data directory.
import fs from 'node:fs';
import path from 'node:path';
import { run, assert, booted, none } from './lib/evsed.mjs';
import { deadPort } from './lib/files.mjs';

run('TC_045_2', async (t) => {
  const port = await deadPort();
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);

  const m = csms.mark();
  const r = await csms.call('GetDiagnostics',
    { location: `ftp://127.0.0.1:${port}/diag/`, retries: 2, retryInterval: 20 });
  assert.ok(r.fileName, 'a fileName');
  const up = await csms.waitFor('DiagnosticsStatusNotification', () => true, { since: m });
  assert.equal(up.payload.status, 'Uploading');
  assert.deepEqual(await csms.call('GetDiagnostics', { location: `ftp://127.0.0.1:${port}/` }), {},
    'one upload at a time');
  for (let i = 0; i < 2; i++) {
    await csms.settle(500);
    none(csms, 'DiagnosticsStatusNotification', up.n + 1, () => true, 'tries left');
    await ev.advance(20);
  }
  const failed = await csms.waitFor('DiagnosticsStatusNotification', () => true, { since: up.n + 1 });
  assert.equal(failed.payload.status, 'UploadFailed');
  await csms.settle();
  const data = path.join(t.dir, 'var');
  assert.ok(fs.readdirSync(data).includes('evsed.db'), 'the data directory');
  assert.ok(!fs.readdirSync(data).some((f) => f.startsWith('diagnostics')), 'no archive left behind');
  await ev.stop();
});
