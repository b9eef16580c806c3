// SPDX-License-Identifier: MIT
//
// OCTT TC_068_CS "Stop transaction - IdTag in StopTransaction matches IdTag
// in StartTransaction" (C2, A9).
// evplus (one connector, one reader), Charging with CARD1: another card
// (CARD2) neither stops the transaction nor is sent to the CSMS (there is
// no free connector); CARD1 stops it: StopTransaction with idTag CARD1,
// reason Local, then Finishing.
import { run, assert, booted, charging, none } from './lib/evsed.mjs';

run('TC_068', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms, { profile: 'evplus' });
  await booted(csms, 1);
  const { tx } = await charging(ev, csms, { idTag: 'CARD1' });

  let m = csms.mark();
  await ev.ctl('swipe', 'CARD2');
  await ev.advanceSteps(30, 30);
  none(csms, 'StopTransaction', m, () => true, 'another card does not stop it');
  none(csms, 'Authorize', m, () => true, 'no connector free for CARD2');
  assert.equal((await ev.conn(1)).state, 'Charging');

  m = csms.mark();
  await ev.swipe('CARD1');
  const stop = await csms.waitFor('StopTransaction', () => true, { since: m });
  assert.equal(stop.payload.transactionId, tx);
  assert.equal(stop.payload.idTag, 'CARD1');
  assert.ok(stop.payload.reason === undefined || stop.payload.reason === 'Local');
  const fin = await csms.waitFor('StatusNotification', (p) => p.connectorId === 1, { since: m });
  assert.equal(fin.payload.status, 'Finishing');
  await ev.stop();
});
