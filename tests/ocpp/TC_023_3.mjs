// SPDX-License-Identifier: MIT
//
// OCTT TC_023_3_CS "Start Charging Session - Authorize blocked" (B3, C2).
// MinimumStatusDuration 10, LocalPreAuthorize true. The card is answered
// Blocked: no transaction starts; the EV plugs in: Preparing (after
// MinimumStatusDuration), still no StartTransaction. The answer is cached
// but only an Accepted entry may skip the Authorize: the same card asks
// again.
import { run } from './lib/evsed.mjs';
import { authorizeRefused } from './lib/refused.mjs';

run('TC_023_3', (t) => authorizeRefused(t, 'Blocked'));
