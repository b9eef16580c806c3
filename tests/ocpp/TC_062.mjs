// SPDX-License-Identifier: MIT
//
// OCTT TC_062_CS "Data Transfer to a Charge Point" (C2).
// DataTransfer with a vendorId the charge point does not know is not
// accepted (UnknownVendorId); with its own vendorId and an unknown
// messageId, UnknownMessageId; never a CALLERROR (NotImplemented).
import { run, assert, booted } from './lib/evsed.mjs';

run('TC_062', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  assert.deepEqual(await csms.call('DataTransfer',
    { vendorId: 'org.openchargealliance.octt', messageId: 'TestMessage', data: 'hello' }),
  { status: 'UnknownVendorId' });
  assert.deepEqual(await csms.call('DataTransfer', { vendorId: 'org.example.unknown' }),
    { status: 'UnknownVendorId' });
  assert.deepEqual(await csms.call('DataTransfer', { vendorId: 'Ratio', messageId: 'NoSuchMessage' }),
    { status: 'UnknownMessageId' });
  await ev.stop();
});
