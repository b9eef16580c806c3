// SPDX-License-Identifier: MIT
//
// OCTT TC_016_CS "Soft Reset With Transaction" (C2, C5).
// As TC_015 with Reset Soft: StopTransaction reason SoftReset, Finishing,
// then the restart and a new BootNotification with every connector
// reported.
import { run } from './lib/evsed.mjs';
import { resetWithTransaction } from './TC_015.mjs';

run('TC_016', (t) => resetWithTransaction(t, 'Soft', 'SoftReset'));
