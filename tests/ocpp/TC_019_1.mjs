// SPDX-License-Identifier: MIT
//
// OCTT TC_019_CS "Retrieve configuration" - all keys (TC_019_1) (C3).
// GetConfiguration without keys returns every key once, no unknownKey,
// SupportedFeatureProfiles with Core, and every required Core key with the
// accessibility OCTT checks (R, RW, or either for
// AuthorizeRemoteTxRequests), values matching the charge point's settings.
// The keys of Local Auth List Management, Reservation and Smart Charging are
// there, read-only, and SupportedFeatureProfiles names SmartCharging.
import { run, assert, booted } from './lib/evsed.mjs';

const RW = false;
const R = true;
const CORE = {
  AuthorizeRemoteTxRequests: null, ClockAlignedDataInterval: RW, ConnectionTimeOut: RW,
  ConnectorPhaseRotation: RW, GetConfigurationMaxKeys: R, HeartbeatInterval: RW,
  LocalAuthorizeOffline: RW, LocalPreAuthorize: RW, MeterValuesAlignedData: RW,
  MeterValuesSampledData: RW, MeterValueSampleInterval: RW, NumberOfConnectors: R,
  ResetRetries: RW, StopTransactionOnEVSideDisconnect: RW, StopTransactionOnInvalidId: RW,
  StopTxnAlignedData: RW, StopTxnSampledData: RW, SupportedFeatureProfiles: R,
  TransactionMessageAttempts: RW, TransactionMessageRetryInterval: RW,
  UnlockConnectorOnEVSideDisconnect: RW,
  // Optional Core keys evsed has, with the accessibility of the 1.6 spec.
  AllowOfflineTxForUnknownId: RW, AuthorizationCacheEnabled: RW, MinimumStatusDuration: RW,
  MaxEnergyOnInvalidId: RW, WebSocketPingInterval: RW, MeterValuesAlignedDataMaxLength: R,
  MeterValuesSampledDataMaxLength: R, StopTxnAlignedDataMaxLength: R,
  StopTxnSampledDataMaxLength: R, SupportedFeatureProfilesMaxLength: R,
  ConnectorPhaseRotationMaxLength: R,
};
// The Local Auth List Management keys (C6), with the 1.6 accessibility.
const LOCAL_LIST = { LocalAuthListEnabled: RW, LocalAuthListMaxLength: R, SendLocalListMaxLength: R };
// The Reservation key (C7): R in the 1.6 spec.
const RESERVATION = { ReserveConnectorZeroSupported: R };
// The Smart Charging keys (C8): R in the 1.6 spec, MQ200 figures.
const SMART = { ChargeProfileMaxStackLevel: R, ChargingScheduleAllowedChargingRateUnit: R,
  ChargingScheduleMaxPeriods: R, MaxChargingProfilesInstalled: R };

run('TC_019_1', async (t) => {
  const csms = await t.csms();
  const ev = await t.evsed(csms);
  await booted(csms, 2);
  const r = await csms.call('GetConfiguration', {});
  assert.equal(r.unknownKey, undefined);
  const keys = new Map();
  for (const kv of r.configurationKey) {
    assert.ok(!keys.has(kv.key), `${kv.key} listed twice`);
    keys.set(kv.key, kv);
  }
  for (const [k, ro] of Object.entries({ ...CORE, ...LOCAL_LIST, ...RESERVATION, ...SMART })) {
    const kv = keys.get(k);
    assert.ok(kv, `GetConfiguration lacks ${k}`);
    if (ro !== null) assert.equal(kv.readonly, ro, `${k} must be ${ro ? 'R' : 'RW'}`);
    assert.equal(typeof kv.value, 'string', `${k} has a value`);
  }
  const profiles = keys.get('SupportedFeatureProfiles').value.split(',');
  assert.ok(profiles.includes('Core'), `SupportedFeatureProfiles: ${profiles}`);
  assert.ok(profiles.includes('Reservation'), `SupportedFeatureProfiles: ${profiles}`);
  assert.ok(profiles.includes('SmartCharging'), `SupportedFeatureProfiles: ${profiles}`);
  assert.ok(profiles.includes('FirmwareManagement'), `SupportedFeatureProfiles: ${profiles}`);
  assert.equal(keys.get('ChargeProfileMaxStackLevel').value, '99');
  assert.equal(keys.get('ChargingScheduleAllowedChargingRateUnit').value, 'Current,Power');
  assert.equal(keys.get('ChargingScheduleMaxPeriods').value, '32');
  assert.equal(keys.get('MaxChargingProfilesInstalled').value, '10');
  for (const p of profiles)
    assert.ok(['Core', 'FirmwareManagement', 'LocalAuthListManagement', 'Reservation', 'SmartCharging',
      'RemoteTrigger'].includes(p), `unknown profile ${p}`);
  assert.equal(keys.get('NumberOfConnectors').value, '2');
  assert.equal(keys.get('HeartbeatInterval').value, '300', 'the interval of the BootNotification.conf');
  assert.equal(keys.get('ConnectorPhaseRotation').value, await ev.config('ConnectorPhaseRotation'));
  assert.equal(keys.get('MeterValueSampleInterval').value, await ev.config('MeterValueSampleInterval'));
  // No secret is ever shown (ocpp.password is not an OCPP key at all).
  assert.ok(![...keys.keys()].some((k) => /password|AuthorizationKey/i.test(k) && keys.get(k).value));
  await ev.stop();
});
