// SPDX-License-Identifier: MIT
// REST API, the network page (G3): /api/network lists this machine's
// interfaces as the operating system has them (compared with Node's
// os.networkInterfaces(): every address with its prefix, the MAC), the host
// name, and the CSMS connection with its byte counters (an ocpp-rpc CSMS);
// it says the network cannot be configured here (H1). Roles: maintain may
// read it, a driver (user) may not, nobody without a session.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  assert, run, SIM, Client, startWeb, expectStatus, DEFAULT_PW,
} from './lib.mjs';
import { Csms } from '../ocpp/lib/csms.mjs';

run('web_api_network', async (t) => {
  const csms = await new Csms().start();
  try {
    fs.mkdirSync(path.join(t.dir, 'csms'), { recursive: true });
    const { d, base, ca } = await startWeb(t, [...SIM, '--set', `ocpp.url=${csms.url}`, '--set', 'ocpp.id=CP1'],
      { dir: path.join(t.dir, 'csms') });
    await csms.waitFor('BootNotification');
    await csms.waitFor('StatusNotification', (p) => p.connectorId === 2);
    await csms.settle();
    const inst = new Client(base, ca);
    await inst.firstLogin('installer', DEFAULT_PW.io7, 'Install-pass-1');

    const x = (await inst.get('/api/network')).json.data;
    assert.equal(x.hostname, os.hostname());
    assert.equal(x.configurable, false);
    assert.equal(x.left_out, 0);
    const lo = x.interfaces.find((f) => f.loopback);
    assert.ok(lo && lo.up && lo.running, JSON.stringify(x.interfaces));
    assert.equal(lo.mac, null, 'the loopback has no MAC');
    assert.ok(lo.addresses.some((a) => a.family === 'ipv4' && a.address === '127.0.0.1' && a.prefix === 8));
    // What the operating system says (Node lists the interfaces with an
    // address).
    for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
      const f = x.interfaces.find((i) => i.name === name);
      assert.ok(f, `interface ${name} listed`);
      const ours = f.addresses.map((a) => `${a.address}/${a.prefix}`).sort();
      const theirs = addrs.map((a) => `${a.address.replace(/%.*$/, '')}/${a.cidr.split('/')[1]}`).sort();
      assert.deepEqual(ours, theirs, `addresses of ${name}`);
      if (!f.loopback && addrs[0].mac !== '00:00:00:00:00:00') assert.equal(f.mac, addrs[0].mac, `MAC of ${name}`);
      assert.ok(f.up, `${name} is up`);
    }

    // The CSMS connection and its bytes, as the CSMS page and status say.
    assert.equal(x.csms.connected, true);
    assert.equal(x.csms.url, csms.url);
    assert.ok(x.csms.bytes_sent > 100 && x.csms.bytes_received > 50, JSON.stringify(x.csms));
    const st = (await d.status()).ocpp;
    assert.ok(st.bytes_sent >= x.csms.bytes_sent && st.bytes_received >= x.csms.bytes_received);

    // Roles.
    for (const u of ['maintain', 'user'])
      expectStatus(await inst.post('/api/users/reset', { user: u, password: `Temp-${u}-1` }), 200, null, `reset ${u}`);
    const mt = new Client(base, ca);
    await mt.firstLogin('maintain', 'Temp-maintain-1', 'Own-maintain-1');
    expectStatus(await mt.get('/api/network'), 200, null, 'maintain');
    const usr = new Client(base, ca);
    await usr.firstLogin('user', 'Temp-user-1', 'Own-user-pass-1');
    expectStatus(await usr.get('/api/network'), 403, /the user role may not/, 'user');
    expectStatus(await new Client(base, ca).get('/api/network'), 401, /not logged in/, 'anonymous');
    expectStatus(await inst.post('/api/network', {}), 405, /not allowed/, 'POST: nothing to configure');
    await d.stop();
  } finally {
    await csms.close();
  }
});
