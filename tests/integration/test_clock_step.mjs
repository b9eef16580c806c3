// SPDX-License-Identifier: MIT
// The real clock follows a step of the system clock (NTP after a boot
// without a real-time clock): evsed runs under libfaketime (Debian package
// faketime) whose offset the test changes at run time; the monotonic clock is
// not faked, so to evsed it looks exactly like an NTP step. The charger's
// time, and the times of the sessions, follow it at once.
import fs from 'node:fs';
import path from 'node:path';
import { assert, run } from './lib.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const LIB = ['/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1'].find((f) => fs.existsSync(f));

run('clock_step', async (t) => {
  assert.ok(LIB, 'libfaketime is missing (Debian package faketime; scripts/install-deps.sh test)');
  const ts = path.join(t.dir, 'faketime');
  fs.writeFileSync(ts, '+0\n');
  const env = {
    LD_PRELOAD: LIB,
    FAKETIME_TIMESTAMP_FILE: ts,
    FAKETIME_NO_CACHE: '1',
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
    // libfaketime is loaded before the sanitizer runtime.
    ASAN_OPTIONS: `${process.env.ASAN_OPTIONS || ''}:verify_asan_link_order=0`,
  };
  const d = await t.start([], { env });
  const utc = async () => Date.parse((await d.json('status')).time);

  const before = await utc();
  assert.equal((await d.json('status')).clock_set.source, 'system', 'set from the system clock at start');
  assert.ok(Math.abs(before - Date.now()) < 5000, `starts on the system time: ${before} vs ${Date.now()}`);
  // The system clock jumps a day ahead.
  fs.writeFileSync(ts, '+1d\n');
  await sleep(200);
  const after = await utc();
  const step = after - before;
  assert.ok(step > 86400000 - 5000 && step < 86400000 + 5000, `followed a +1 day step: ${step} ms`);
  assert.match(d.stderr, /system clock stepped by \+86400\.\d s/);
  const set = (await d.json('status')).clock_set;
  assert.equal(set.source, 'system_step', JSON.stringify(set));
  assert.ok(Math.abs(set.step_s - 86400) <= 5, `the step is recorded: ${set.step_s}`);

  // A session started now is dated on the new clock.
  await d.ok('card', 'add', 'CARD1');
  await d.ok('plug', '1');
  await d.ok('swipe', 'CARD1');
  await d.ok('unplug', '1');
  const h = await d.history();
  assert.equal(h.length, 1, JSON.stringify(h));
  assert.ok(Math.abs(Date.parse(h[0].start) - after) < 5000, `session dated on the new clock: ${h[0].start}`);

  // And back (an installer corrected it): small drifts are not steps.
  fs.writeFileSync(ts, '+0\n');
  await sleep(200);
  const back = await utc();
  assert.ok(Math.abs(back - Date.now()) < 5000, `followed the step back: ${back} vs ${Date.now()}`);
  assert.equal((d.stderr.match(/system clock stepped/g) || []).length, 2, d.stderr);
});
