// SPDX-License-Identifier: MIT
// The EVPLUS card learning flow (B2, EVPLUS manual 8.1.2 step 11): "Read",
// present the card, "Write card x": `evsectl card learn N`, then the next card
// presented becomes card N (in place of the old card N), up to the product's
// 3 cards; refused while charging and with a CSMS; the window closes after
// 60 s; the cards survive a restart in their slots.
import { assert, run, SIM } from './lib.mjs';

run('card_learn', async (t) => {
  const EVPLUS = [...SIM, '--set', 'profile=evplus'];
  let d = await t.start(EVPLUS);
  const cards = async () => (await d.json('card', 'list')).cards;

  for (const [slot, uid] of [['1', 'AAAA0001'], ['2', 'BBBB0002'], ['3', 'CCCC0003']]) {
    const r = await d.ok('card', 'learn', slot);
    assert.match(r, new RegExp(`card ${slot} within 60 s`));
    const s = await d.ok('swipe', uid);
    assert.match(s, new RegExp(`${uid} learnt as card ${slot}`));
  }
  assert.deepEqual(await cards(), ['AAAA0001', 'BBBB0002', 'CCCC0003']);
  assert.equal((await d.status()).connectors[0].state, 'Available', 'learning starts nothing');

  // Write card 2 again: the new card takes slot 2, the others keep theirs.
  await d.ok('card', 'learn', '2');
  await d.ok('swipe', 'DDDD0004');
  assert.deepEqual(await cards(), ['AAAA0001', 'DDDD0004', 'CCCC0003']);
  await d.fails(2, /card learn N \(N = 1-3/, 'card', 'learn', '4');
  await d.fails(2, /usage/, 'card', 'learn', 'x');

  // The window closes after 60 s: the card is then just a card.
  await d.ok('card', 'learn', '1');
  await d.ok('time', 'advance', '61');
  await d.fails(1, /not authorised/, 'swipe', 'EEEE0005');
  assert.deepEqual(await cards(), ['AAAA0001', 'DDDD0004', 'CCCC0003']);

  // A learnt card charges; learning is refused while charging.
  await d.ok('plug', '1');
  await d.ok('swipe', 'DDDD0004');
  await d.ok('ev', '1', 'charge');
  assert.equal((await d.status()).connectors[0].state, 'Charging');
  await d.fails(1, /stand-by/, 'card', 'learn', '1');
  await d.ok('unplug', '1');

  // Slots survive a restart.
  await d.stop();
  d = await t.start(EVPLUS, { dir: d.dir });
  assert.deepEqual(await cards(), ['AAAA0001', 'DDDD0004', 'CCCC0003']);
  await d.stop();

  // With a CSMS the OCPP local list is the one: learning is refused.
  d = await t.start([...EVPLUS, '--set', 'ocpp.url=ws://127.0.0.1:9/ocpp']);
  await d.fails(1, /local authorization/, 'card', 'learn', '1');
  await d.stop();
});
