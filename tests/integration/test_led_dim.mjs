// SPDX-License-Identifier: MIT
// LED brightness (F2, MQ200 Dim Option / Dim Intensity): the indication core
// sets the simulated board's LEDs to LightIntensity, dims them to
// led.dim_intensity led.dim_after seconds after the connector's status or pattern last
// changed,
// and brings them back at the next change (an EV plugged); never brighter
// than LightIntensity; led.dim_after 0 never dims (the io7 default). The
// status reports what the board was set to.
import fs from 'node:fs';
import path from 'node:path';
import { assert, run, SIM } from './lib.mjs';

run('led_dim', async (t) => {
  const d = await t.start([...SIM, '--set', 'profile=mq200']);
  const led = async () => {
    const c = await d.conn(1);
    return [c.led_brightness, c.led_dimmed];
  };
  assert.equal((await d.config('led.dim_after')).value, '60', 'MQ200 default: 1 min');
  assert.deepEqual(await led(), [100, false], 'full at start');
  await d.advance(59);
  assert.deepEqual(await led(), [100, false], '59 s');
  await d.advance(1);
  assert.deepEqual(await led(), [10, true], 'dimmed to 10 % after 60 s');

  // A change of the status (an EV plugs in; the MQ200 stays green): full
  // again, then dims again.
  await d.ok('plug', '1');
  assert.equal((await d.conn(1)).state, 'Preparing');
  assert.deepEqual(await led(), [100, false], 'plugged: full');
  await d.advance(60);
  assert.deepEqual(await led(), [10, true], 'dims again');

  // Settings apply at once; never above LightIntensity.
  await d.ok('config', 'set', 'led.dim_intensity', '30');
  assert.deepEqual(await led(), [30, true]);
  await d.ok('config', 'set', 'LightIntensity', '20');
  assert.deepEqual(await led(), [20, false], 'dim intensity above LightIntensity: no dimming');
  await d.ok('config', 'set', 'LightIntensity', '80');
  await d.ok('config', 'set', 'led.dim_after', '0');
  await d.advance(600);
  assert.deepEqual(await led(), [80, false], 'dim_after 0 never dims');
  await d.fails(1, /led.dim_after/, 'config', 'set', 'led.dim_after', '3601');
  await d.fails(1, /led.dim_intensity/, 'config', 'set', 'led.dim_intensity', '101');
  await d.stop();

  // The io7 does not dim by default.
  fs.mkdirSync(path.join(t.dir, 'io7'));
  const e = await t.start(SIM, { dir: path.join(t.dir, 'io7') });
  await e.advance(3600);
  const c = await e.conn(2);
  assert.deepEqual([c.led_brightness, c.led_dimmed], [100, false]);
  await e.stop();
});
