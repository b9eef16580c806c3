// SPDX-License-Identifier: MIT
// G5: every setting the web forms show (every row of the registry: the
// settings pages by prefix, "Advanced" the rest, OCPP settings the OCPP keys)
// has a name in English, Italian, German, Spanish and French and a help text
// in the four translations (English help is the registry's own), in
// web/i18n.js SETTING_TEXT; no entry there names a setting that does not
// exist. A new setting without them fails here (the page would still show its
// key and the registry's English help).
import fs from 'node:fs';
import vm from 'node:vm';
import { assert, freshDir, run, SIM } from './lib.mjs';

run('web_i18n_settings', async (t) => {
  const src = fs.readFileSync(new URL('../../web/i18n.js', import.meta.url), 'utf8');
  const ctx = {};
  vm.runInNewContext(`${src}\nthis.SETTING_TEXT = SETTING_TEXT;`, ctx);
  const text = ctx.SETTING_TEXT;
  assert.ok(text && typeof text === 'object', 'i18n.js defines SETTING_TEXT');

  const missing = [];
  const seen = new Set();
  // The registry of every profile (the same keys; checked for each).
  for (const profile of ['io7', 'mq200', 'evplus']) {
    const d = await t.start([...SIM, '--set', `profile=${profile}`], { dir: freshDir(`i18n_settings_${profile}`) });
    const list = await d.json('config', 'list');
    assert.ok(list.length > 100, `${list.length} settings`);
    for (const s of list) {
      seen.add(s.key);
      const x = text[s.key];
      if (!x) { missing.push(`${s.key}: no entry`); continue; }
      for (const l of ['en', 'it', 'de', 'es', 'fr']) {
        const v = x[l];
        if (!Array.isArray(v) || typeof v[0] !== 'string' || !v[0].trim()) missing.push(`${s.key}: no ${l} name`);
        if (l !== 'en' && (!Array.isArray(v) || typeof v[1] !== 'string' || !v[1].trim()))
          missing.push(`${s.key}: no ${l} help`);
      }
      assert.ok(s.help && s.help.trim(), `${s.key}: the registry's English help`);
    }
    await d.stop();
  }
  assert.deepEqual(missing, [], 'settings without a name or help in a language');
  const stale = Object.keys(text).filter((k) => !seen.has(k));
  assert.deepEqual(stale, [], 'SETTING_TEXT entries that are no setting');
  // The translations are translations: not the English text again.
  const same = Object.entries(text).filter(([, x]) => ['it', 'de', 'es', 'fr'].every((l) => x[l][0] === x.en[0]));
  assert.deepEqual(same.map(([k]) => k), [], 'names left in English in every language');
});
