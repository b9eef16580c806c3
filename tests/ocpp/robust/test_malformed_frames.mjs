// SPDX-License-Identifier: MIT
//
// Malformed and awkward frames from the CSMS (issue 3, C1 RPC layer), sent
// by a raw `ws` server (subprotocol ocpp1.6) while a charging session runs:
// text that is not JSON, JSON that is not an array, frames too short or
// with a non-string id (nothing to answer: ignored), a truncated CALL
// (FormationViolation), an unknown action (NotImplemented), a bad enum value
// (PropertyConstraintViolation), a missing required field
// (OccurenceConstraintViolation, the 1.6 spelling), a wrong type
// (TypeConstraintViolation), an unknown property, a duplicate key or a NUL
// in a string (FormationViolation), a 1 MB frame (CALLERROR), messages over
// the 1.5 MiB frame cap (close 1009, then a new connection; one 2 MB frame,
// and a message whose last small fragment passes the cap), the same CALL
// twice (the same answer, done once), a
// CALLRESULT / CALLERROR for an id evsed never used (ignored), and a
// CALLERROR "OccurrenceConstraintViolation" (the 2.0 spelling) to one of
// evsed's StatusNotifications (taken as that error; evsed goes on).
// Afterwards the connection is up, the session still charges, and the
// history and the CSMS hold each session exactly once.

import { assert, test, sleep, waitFor, evsedArgs, RawCsms } from './lib.mjs';

const QUIET_MS = 400; // how long "no answer" is watched for

test('malformed_frames', async (t) => {
  let failNextStatus = false;
  const csms = new RawCsms({
    answer: ({ id, action }) => {
      if (action === 'StatusNotification' && failNextStatus) {
        failNextStatus = false;
        return [4, id, 'OccurrenceConstraintViolation', 'test: spelt the OCPP 2.0 way', {}];
      }
      return undefined;
    },
  });
  await csms.listen();
  t.defer(() => csms.close());
  t.note(() => csms.log());

  const d = await t.start(evsedArgs({ url: `ws://127.0.0.1:${csms.port}/ocpp` }));
  const ocpp = async () => (await d.status()).ocpp;
  const drained = (what) => waitFor(async () => {
    const o = await ocpp();
    return o.connected && o.boot === 'Accepted' && o.queued_messages === 0;
  }, 15000, what);

  await waitFor(() => csms.calls('BootNotification').length === 1, 15000, 'BootNotification');
  assert.equal(csms.ws.path, '/ocpp/CP1', 'evsed connects to <url>/<id>');
  assert.equal(csms.ws.protocol, 'ocpp1.6');
  await waitFor(() => csms.calls('StatusNotification').length >= 3, 10000, 'the first StatusNotifications');

  // A session charging on connector 1.
  await d.ok('card', 'add', 'CARD1');
  await d.ok('plug', '1');
  await d.ok('swipe', 'CARD1');
  await d.ok('ev', '1', 'charge');
  await waitFor(() => csms.calls('StartTransaction').length === 1, 10000, 'StartTransaction');
  await drained('StartTransaction answered');
  const c1 = await d.conn(1);
  assert.equal(c1.state, 'Charging');
  const session1 = c1.transaction_id;
  const tx1 = csms.nextTx;
  const energy0 = c1.energy_wh;

  /** Send raw text; return evsed's answers to `id` (or to anything, when id
   * is null) that came within QUIET_MS, or as soon as one came. */
  const exchange = async (text, id) => {
    const from = csms.frames.length;
    const answers = () => csms.frames.slice(from).filter((f) => Array.isArray(f.json) &&
      (f.json[0] === 3 || f.json[0] === 4) && (id === null || f.json[1] === id));
    csms.send(text);
    const deadline = Date.now() + (id === null ? QUIET_MS : 5000);
    while (Date.now() < deadline && (id === null || answers().length === 0)) await sleep(10);
    return answers().map((f) => f.json);
  };
  const expectIgnored = async (text, what) => {
    const got = await exchange(text, null);
    assert.deepEqual(got, [], `${what}: nothing to answer to, so no answer (got ${JSON.stringify(got)})`);
    assert.ok(csms.open(), `${what}: the connection stays open`);
  };
  const expectError = async (frame, code, what) => {
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
    const id = typeof frame === 'string' ? /"(id\d+)"/.exec(frame)[1] : frame[1];
    const got = await exchange(text, id);
    assert.equal(got.length, 1, `${what}: one answer to ${id} (got ${JSON.stringify(got)})`);
    const [a] = got;
    assert.equal(a.length, 5, `${what}: a CALLERROR has 5 elements: ${JSON.stringify(a)}`);
    assert.equal(a[0], 4, `${what}: answered with a CALLERROR: ${JSON.stringify(a)}`);
    assert.equal(a[1], id);
    assert.equal(a[2], code, `${what}: error code (${JSON.stringify(a)})`);
    assert.equal(typeof a[3], 'string', `${what}: errorDescription`);
    assert.deepEqual(a[4], {}, `${what}: errorDetails`);
    assert.ok(csms.open(), `${what}: the connection stays open`);
    return a;
  };

  // Nothing to answer to: logged and ignored.
  await expectIgnored('this is not JSON', 'not JSON');
  await expectIgnored('{"not": "an array"}', 'JSON but not an array');
  await expectIgnored('[2]', '[2] (too short)');
  await expectIgnored('[2, 123, "Reset", {"type": "Hard"}]', 'a message id that is not a string');
  await expectIgnored('[]', 'an empty array');
  await expectIgnored('[7, "id99", "Reset", {"type": "Hard"}]', 'an unknown message type');
  await expectIgnored(JSON.stringify([2, 'i'.repeat(37), 'Reset', { type: 'Hard' }]),
    'a message id over 36 characters');

  // CALLs answered with the exact CALLERROR code.
  await expectError('[2, "id0", "Reset", {"type": "Ha', 'FormationViolation', 'truncated CALL');
  await expectError([2, 'id1', 'NoSuchAction', {}], 'NotImplemented', 'unknown action');
  await expectError([2, 'id2', 'UpdateFirmware', { location: 'ftp://x/' }],
    'OccurenceConstraintViolation', 'UpdateFirmware without retrieveDate');
  await expectError([2, 'id3', 'Reset', { type: 'Bad' }], 'PropertyConstraintViolation', 'Reset type "Bad"');
  await expectError([2, 'id4', 'Reset', {}], 'OccurenceConstraintViolation', 'Reset without type (1.6 spelling)');
  await expectError([2, 'id5', 'ChangeAvailability', { connectorId: '1', type: 'Operative' }],
    'TypeConstraintViolation', 'connectorId as a string');
  await expectError([2, 'id6', 'ChangeAvailability', { connectorId: 1, type: 'Inoperative', colour: 'red' }],
    'FormationViolation', 'unknown property');
  await expectError([2, 'id10', 'RemoteStartTransaction', { idTag: 'X'.repeat(21) }],
    'PropertyConstraintViolation', 'idTag longer than 20 characters');
  await expectError([2, 'id11', 'Reset', { type: 'Hard' }, {}], 'FormationViolation', 'a CALL of 5 elements');
  await expectError('[2, "id12", "Reset", {"type": "Bad", "type": "Hard"}]', 'FormationViolation', 'a duplicate key');
  await expectError('[2, "id13", "DataTransfer", {"vendorId": "a\\u0000b"}]', 'FormationViolation', 'a NUL in a string');
  await expectError([2, 'id14', 'RemoteStartTransaction', {}], 'OccurenceConstraintViolation', 'RemoteStartTransaction without idTag');

  // A 1 MB frame (under the frame cap): parsed, answered.
  const big = JSON.stringify([2, 'id7', 'Reset', { type: 'Hard', pad: 'x'.repeat(1024 * 1024) }]);
  assert.ok(big.length > 1024 * 1024);
  await expectError(big, 'FormationViolation', '1 MB Reset with an unknown property');

  let st = await d.conn(1);
  assert.equal(st.state, 'Charging', `no CALL above did anything: connector 1 ${JSON.stringify(st)}`);
  assert.equal(st.transaction_id, session1);
  assert.ok(!/reset requested/.test(d.stderr), 'no Reset was performed');

  // Messages over evsed's cap (1.5 MiB): the connection is closed with 1009
  // (message too big), and evsed comes back.
  const overCap = async (sendIt, what, strict) => {
    const conns = csms.sockets.length;
    sendIt();
    await waitFor(() => csms.closes.some((c) => c.conn === conns - 1), 10000, `evsed to close on ${what}`);
    const close = csms.closes.find((c) => c.conn === conns - 1);
    // One 2 MB frame: evsed closes as soon as the frame header says "too
    // big", the rest of the frame still unread, so the kernel may reset the
    // connection and the server then sees 1006 instead of the Close frame
    // (a race, about 1 run in 10; see the report). With the whole message
    // read (fragmented), the close must be clean.
    if (strict || close.code !== 1006)
      assert.equal(close.code, 1009, `${what}: closed cleanly with 1009 (message too big): ${JSON.stringify(close)}`);
    else
      t.log(`${what}: the server saw 1006 (connection reset) rather than the Close frame 1009`);
    await waitFor(() => csms.open() && csms.sockets.length === conns + 1, 15000, `evsed to reconnect after ${what}`);
    await drained(`evsed back online after ${what}`);
  };
  await overCap(() => csms.send(JSON.stringify([2, 'id8', 'Reset', { type: 'Hard', pad: 'x'.repeat(2 * 1024 * 1024) }])),
    'one 2 MB frame', false);
  assert.match(d.stderr, /frame larger than 1572864 bytes/, 'the reason is logged');
  const head = '[2, "id9", "Reset", {"type": "Hard", "pad": "';
  const body = 'y'.repeat(1536 * 1024 - head.length - 10);
  await overCap(() => {
    csms.ws.send(head + body, { fin: false });
    csms.ws.send('yyyyyyyyyyyyyyyyyyyy"}]', { fin: true });
  }, 'a message of 1.5 MiB + 13 bytes in two fragments', true);
  assert.deepEqual(csms.answersTo('id8'), [], 'a frame over the cap is not answered');
  assert.deepEqual(csms.answersTo('id9'), [], 'a message over the cap is not answered');
  assert.equal(csms.calls('BootNotification').length, 1, 'an accepted charge point does not boot again on a reconnect');
  st = await d.conn(1);
  assert.equal(st.state, 'Charging', `connector 1 still charging after the reconnections: ${JSON.stringify(st)}`);
  assert.ok(!/reset requested/.test(d.stderr), 'no Reset was performed');

  // The same CALL twice: the same answer, performed once.
  await d.ok('plug', '2');
  const remote = JSON.stringify([2, 'dup1', 'RemoteStartTransaction', { connectorId: 2, idTag: 'REMOTE1' }]);
  const first = await exchange(remote, 'dup1');
  assert.deepEqual(first, [[3, 'dup1', { status: 'Accepted' }]], 'RemoteStartTransaction accepted');
  await waitFor(() => csms.calls('StartTransaction').length === 2, 10000, 'StartTransaction of the remote start');
  await drained('the remote start recorded');
  const again = await exchange(remote, 'dup1');
  assert.deepEqual(again, first, 'a duplicate message id gets the same answer again');
  await sleep(QUIET_MS);
  assert.equal(csms.calls('StartTransaction').length, 2, 'the duplicate did not start another session');
  const c2 = await d.conn(2);
  assert.equal(c2.id_tag, 'REMOTE1');

  // Answers to ids evsed never used: ignored.
  await expectIgnored('[3, "no-such-id", {}]', 'CALLRESULT for an unknown id');
  await expectIgnored('[4, "no-such-id-2", "GenericError", "", {}]', 'CALLERROR for an unknown id');
  assert.match(d.stderr, /answer to unknown message id no-such-id ignored/);

  // A CALLERROR with the 2.0 spelling to a StatusNotification.
  failNextStatus = true;
  const statusFrom = csms.calls('StatusNotification').length;
  await d.ok('ev', '1', 'pause');
  await waitFor(() => /StatusNotification failed: CALLERROR OccurenceConstraintViolation/.test(d.stderr),
    5000, 'evsed to take the CALLERROR as an OccurenceConstraintViolation');
  assert.ok(csms.open(), 'the connection stays open after the CALLERROR');
  await d.ok('ev', '1', 'charge');
  await waitFor(() => csms.calls('StatusNotification').slice(statusFrom)
    .some((f) => f.json[3].connectorId === 1 && f.json[3].status === 'Charging'), 5000, 'the next StatusNotification');
  await drained('after the StatusNotification error');

  // Still connected, still charging: energy grows, meter values flow.
  for (let i = 0; i < 4; i++) {
    await d.advance(20);
    await drained(`after ${20 * (i + 1)} s`);
  }
  st = await d.conn(1);
  assert.equal(st.state, 'Charging');
  assert.equal(st.transaction_id, session1, 'the same session');
  assert.ok(st.energy_wh > energy0 + 100, `energy grows: ${energy0} -> ${st.energy_wh} Wh`);
  const mv = csms.calls('MeterValues').map((f) => f.json[3]).filter((p) => p.connectorId === 1);
  assert.ok(mv.length >= 1 && mv.every((p) => p.transactionId === tx1), `MeterValues of transaction ${tx1}: ${JSON.stringify(mv)}`);
  assert.ok((await ocpp()).connected, 'connected at the end');

  // End both sessions: each is stored once, here and at the CSMS.
  await d.ok('unplug', '1');
  await d.ok('unplug', '2');
  await waitFor(() => csms.calls('StopTransaction').length === 2, 10000, 'two StopTransaction');
  await drained('the stops');
  const starts = csms.calls('StartTransaction').map((f) => f.json[3]);
  const stops = csms.calls('StopTransaction').map((f) => f.json[3]);
  assert.deepEqual(starts.map((p) => [p.connectorId, p.idTag]), [[1, 'CARD1'], [2, 'REMOTE1']]);
  assert.deepEqual(stops.map((p) => p.transactionId).sort(), [tx1, tx1 + 1].sort(), 'each transaction stopped once, by its id');
  const h = await d.history();
  assert.equal(h.length, 2, `two sessions in the history: ${JSON.stringify(h)}`);
  assert.deepEqual(h.map((x) => [x.connector, x.id_tag, x.stop_reason]).reverse(),
    [[1, 'CARD1', 'EVDisconnected'], [2, 'REMOTE1', 'EVDisconnected']]);
  assert.ok(!/reset requested/.test(d.stderr), 'no Reset was ever performed');
  await d.stop();
}, { timeoutMs: 120000 });
