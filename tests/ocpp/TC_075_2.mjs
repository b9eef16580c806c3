// SPDX-License-Identifier: MIT
//
// OCTT TC_075_2_CS "Install a certificate on the Charge Point -
// CentralSystemRootCertificate" (C12): as TC_075_1 (same scenario,
// lib in TC_075_1.mjs) with the other certificate type. (The OCTT document's
// text of this variant was not at hand; TC_075_1's is, and names it as the
// ManufacturerRootCertificate variant.)
import { run } from './lib/evsed.mjs';
import { installCase } from './TC_075_1.mjs';

run('TC_075_2', (t) => installCase(t, 'CentralSystemRootCertificate', 'ManufacturerRootCertificate'));
