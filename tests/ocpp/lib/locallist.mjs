// SPDX-License-Identifier: MIT
//
// Helpers for the Local Authorization List scenarios (C6) and the bench:
// entries of a SendLocalList.req, and the CSMS's calls of the profile.
// Only builds payloads and calls; asserts nothing.

/** n entries TAG<prefix><i> with status (and the given idTagInfo extras);
 * status null: entries without idTagInfo (a Differential removes them). */
export function entries(n, { prefix = 'T', from = 0, status = 'Accepted', info = {} } = {}) {
  const out = [];
  for (let i = from; i < from + n; i++) {
    const idTag = `${prefix}${String(i).padStart(6, '0')}`;
    out.push(status === null ? { idTag } : { idTag, idTagInfo: { status, ...info } });
  }
  return out;
}

/** SendLocalList; resolves with the status (rejects on a CALLERROR). */
export async function sendLocalList(csms, updateType, listVersion, list, opts) {
  const payload = { listVersion, updateType };
  if (list !== undefined) payload.localAuthorizationList = list;
  return (await csms.call('SendLocalList', payload, opts)).status;
}

/** GetLocalListVersion; resolves with the version. */
export async function localListVersion(csms) {
  return (await csms.call('GetLocalListVersion', {})).listVersion;
}

/** Set OCPP keys with ChangeConfiguration; resolves with their statuses. */
export async function configure(csms, pairs) {
  const out = [];
  for (const [key, value] of pairs)
    out.push((await csms.call('ChangeConfiguration', { key, value: String(value) })).status);
  return out;
}
