// SPDX-License-Identifier: MIT
//
// OCTT TC_069_CS "Stop transaction - ParentIdTag in StopTransaction matches
// ParentIdTag in StartTransaction" (C2, B3).
// evplus, Charging with CARD1 whose idTagInfo has parentIdTag GROUP1.
// CARD2 is presented: Authorize (a different idTag); its idTagInfo has the
// same parentIdTag, so it stops the transaction: StopTransaction with
// idTag CARD2, reason Local, then Finishing.
import { run, assert, booted, charging } from './lib/evsed.mjs';

run('TC_069', async (t) => {
  const csms = await t.csms();
  const info = { status: 'Accepted', parentIdTag: 'GROUP1' };
  csms.on('Authorize', () => ({ idTagInfo: info }));
  csms.on('StartTransaction', () => ({ transactionId: 7, idTagInfo: info }));
  const ev = await t.evsed(csms, { profile: 'evplus' });
  await booted(csms, 1);
  const { tx } = await charging(ev, csms, { idTag: 'CARD1' });

  const m = csms.mark();
  await ev.ctl('swipe', 'CARD2');
  const auth = await csms.waitFor('Authorize', () => true, { since: m });
  assert.equal(auth.payload.idTag, 'CARD2');
  const stop = await csms.waitFor('StopTransaction', () => true, { since: m });
  assert.equal(stop.payload.transactionId, tx);
  assert.equal(stop.payload.idTag, 'CARD2', 'the idTag of the Authorize');
  assert.ok(stop.payload.reason === undefined || stop.payload.reason === 'Local');
  const fin = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(fin.payload.status, 'Finishing');
  await ev.stop();
});
