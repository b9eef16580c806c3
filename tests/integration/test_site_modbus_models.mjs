// SPDX-License-Identifier: MIT
// E1: every other meter model is read over Modbus TCP through libmodbus, once
// each: the simulator encodes the currents with the model's rows (magnitudes
// where the model has powers), the real evsed decodes them, signs them and
// shows them in status. (SDM630, EM340, Finder 7M and ABB B23 are exercised
// by the other test_site_modbus_* tests.) `evsectl load` is only for the
// simulated site meter.
import fs from 'node:fs';
import path from 'node:path';
import { assert, run } from './lib.mjs';
import { MeterSim, waitStatus, same } from './meter_sim.mjs';

const MODELS = [
  ['sdm120', [7.5, 0, 0], [7.5]],
  ['eem-350', [-7.5, -8, -9], [-7.5, -8, -9]], // all exporting: the total's sign
  ['iem3x5x', [7.5, -8, 9], [7.5, -8, 9]],
  ['dtsu666', [7.5, 8, -9], [7.5, 8, -9]],
  ['ct-clamp', [-7.5, 8, 9], [-7.5, 8, 9]],
];

run('site_modbus_models', async (t) => {
  for (const [model, want, set] of MODELS) {
    const sim = await MeterSim.start(model, 'tcp');
    await sim.set(...set);
    const dir = path.join(t.dir, model);
    fs.mkdirSync(dir);
    const d = await t.start(['--set', `meter.site=modbus-tcp:127.0.0.1:${sim.port}:1:${model}`,
      '--set', 'meter.poll_ms=200'], { dir });
    const { s } = await waitStatus(d, (x) => x.load_management.meter.reads > 0, 8000, `${model}: a reading`);
    const m = s.load_management.meter;
    assert.equal(m.model, model);
    assert.ok(same(m.current_a, want), `${model}: ${JSON.stringify(m.current_a)} is not ${JSON.stringify(want)}`);
    assert.ok(same(s.load_management.site_a, want), `${model}: site_a ${JSON.stringify(s.load_management.site_a)}`);
    if (model !== 'ct-clamp')
      assert.ok(Math.abs(m.voltage_v[0] - 230) < 0.1 && Math.abs(m.energy_import_kwh - 1234.5) < 0.01, `${model}: ${JSON.stringify(m)}`);
    await d.fails(1, /meter\.site = sim/, 'load', '10');
    await d.stop();
    sim.stop();
  }
});
