// SPDX-License-Identifier: MIT
// evsed web UI: one page, hash routes, the REST API of docs/openapi.yaml.
// Plain DOM, no framework, no inline code (the CSP forbids it).
'use strict';

const $ = (s, r = document) => r.querySelector(s);
const main = $('#main');
let me = null;          // {user, role, must_change, csrf}
let timer = null;       // the live page's poll (when events fail)
let events = null;      // the live page's EventSource
let lang = localStorage.getItem('lang') || (navigator.language || 'en').slice(0, 2);
if (!I18N[lang]) lang = 'en';

function t(k, ...a) {
  let s = (I18N[lang] && I18N[lang][k]) || I18N.en[k] || k;
  a.forEach((v, i) => { s = s.replace(`{${i}}`, v); });
  return s;
}

/** An element: el('p', {class: 'x', text: 'hi'}, child...). */
function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of kids.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function toast(msg) {
  const b = $('#toast');
  b.textContent = msg;
  clearTimeout(toast.t);
  toast.t = setTimeout(() => { b.textContent = ''; }, 4000);
}

async function api(method, path, body) {
  const h = {};
  if (body !== undefined) h['content-type'] = 'application/json';
  if (me && method !== 'GET') h['x-csrf-token'] = me.csrf;
  let r;
  try {
    r = await fetch(path, { method, headers: h, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    return { ok: false, status: 0, error: t('offline') };
  }
  if ((r.headers.get('content-type') || '').startsWith('text/csv'))
    return { ok: r.ok, status: r.status, text: await r.text() };
  const j = await r.json().catch(() => ({ ok: false, error: `HTTP ${r.status}` }));
  j.status = r.status;
  // The session ended (expiry, reboot, logout elsewhere): the login form.
  if (r.status === 401 && me && path !== '/api/login') { me = null; render(); }
  return j;
}

function msg(kind, text) { return el('p', { class: `msg ${kind}`, role: kind === 'bad' ? 'alert' : 'status', text }); }

// ---- pages -----------------------------------------------------------------

// name: [title key, least role (0 user, 1 maintain, 2 installer), render]
const ROLES = { user: 0, maintain: 1, installer: 2 };
const PAGES = {
  connectors: ['p_connectors', 0, pageConnectors],
  transactions: ['p_transactions', 0, pageTransactions],
  info: ['p_info', 0, pageInfo],
  csms: ['p_csms', 1, pageCsms],
  installer: ['p_installer', 1, pageInstaller],
  smart: ['p_smart', 1, pageSmart],
  balancing: ['p_balancing', 1, pageBalancing],
  ocpp: ['p_ocpp', 1, pageOcpp],
  cards: ['p_cards', 1, pageCards],
  logs: ['p_logs', 1, pageLogs],
  advanced: ['p_advanced', 1, (m) => pageSettings(m, 'p_advanced', OTHER)],
  users: ['p_users', 2, pageUsers],
  upgrade: ['p_upgrade', 2, pageUpgrade],
  maintenance: ['p_maintenance', 1, pageMaintenance],
  time: ['w3_p_time', 1, pageTime],
  network: ['w3_p_network', 1, pageNetwork],
  led: ['w3_p_led', 1, pageLed],
};

// Which settings each settings page shows, by key prefix; a setting no page
// claims shows on "Advanced", so new settings appear without UI changes.
const INSTALLER = ['time.', 'charger.', 'supply.', 'installer.', 'tilt.', 'sound.', 'resume_after_reboot', 'phase', 'reboot.'];
const SMART = ['policy.', 'hours.', 'cold_load.', 'smart.'];
const BALANCING = ['lm.', 'meter.', 'group.', 'llm.'];
const CSMS = ['ocpp.', 'auth.'];
const claimed = (k) => [INSTALLER, SMART, BALANCING, CSMS].some((l) => l.some((p) => k.startsWith(p)));
const OTHER = (s) => !s.ocpp_key && !claimed(s.key);

function role() { return me ? ROLES[me.role] : -1; }

function go(page) {
  if (location.hash !== `#${page}`) location.hash = page; else render();
}

async function render() {
  clearInterval(timer);
  timer = null;
  if (events) { events.close(); events = null; }
  let page = location.hash.slice(1) || 'connectors';
  if (!me) {
    const r = await api('GET', '/api/me');
    if (r.ok) me = r.data;
  }
  nav();
  main.replaceChildren();
  if (!me) return pageLogin(main);
  if (me.must_change) return pagePassword(main, true);
  if (page === 'password') return pagePassword(main, false);
  if (!PAGES[page] || PAGES[page][1] > role()) page = 'connectors';
  document.title = `${t(PAGES[page][0])} - evsed`;
  main.append(el('h1', { text: t(PAGES[page][0]) }));
  await PAGES[page][2](main);
  document.querySelectorAll('#navlist a').forEach((a) => {
    if (a.getAttribute('href') === `#${page}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
}

function nav() {
  const on = !!(me && !me.must_change);
  $('#nav').hidden = !on;
  $('#menu').hidden = !on;
  $('#logout').hidden = !me;
  const ul = $('#navlist');
  ul.replaceChildren();
  if (!on) return;
  for (const [name, [key, least]] of Object.entries(PAGES))
    if (least <= role()) ul.append(el('li', {}, el('a', { href: `#${name}`, text: t(key) })));
  ul.append(el('li', {}, el('a', { href: '#password', text: t('p_password') })));
}

function pageLogin(m) {
  document.title = `${t('login')} - evsed`;
  const err = el('div');
  const f = el('form', { class: 'login', novalidate: true },
    el('h1', { text: t('login') }),
    field('user', t('user'), el('input', { id: 'user', name: 'user', autocomplete: 'username', required: true })),
    field('password', t('password'), el('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    err, el('button', { type: 'submit', text: t('login') }));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    const r = await api('POST', '/api/login', { user: f.user.value, password: f.password.value });
    if (!r.ok) return err.replaceChildren(msg('bad', r.status === 429 ? t('too_many') : t('bad_login')));
    me = r.data;
    render();
  });
  m.append(f);
  $('#user').focus();
}

function pagePassword(m, forced) {
  document.title = `${t('p_password')} - evsed`;
  const out = el('div');
  const f = el('form', { class: 'login', novalidate: true },
    el('h1', { text: t('p_password') }),
    forced ? msg('bad', t('must_change')) : null,
    field('current', t('current_pw'), el('input', { id: 'current', type: 'password', autocomplete: 'current-password' })),
    field('new', t('new_pw'), el('input', { id: 'new', type: 'password', autocomplete: 'new-password', 'aria-describedby': 'new-help' }), t('pw_rule'), 'new-help'),
    out, el('button', { type: 'submit', text: t('save') }));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(f);
    const r = await api('POST', '/api/password', { current: $('#current').value, new: $('#new').value });
    if (!r.ok) return showError(f, out, r);
    me = r.data;
    toast(t('saved'));
    go('connectors');
  });
  m.append(f);
  $('#current').focus();
}

/** A labelled form field with an optional help line and an error slot. */
function field(id, label, input, help, helpId) {
  return el('div', { class: 'field' }, el('label', { for: id, text: label }), input,
    help ? el('span', { class: 'help', id: helpId || `${id}-help`, text: help }) : null,
    el('span', { class: 'err', id: `${id}-err`, hidden: true }));
}

function clearErrors(f) {
  f.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
  f.querySelectorAll('.err').forEach((e) => { e.hidden = true; e.textContent = ''; });
}

/** An API error: on its field when it names one, else at the form. */
function showError(f, out, r) {
  const input = r.field && f.querySelector(`[data-key="${CSS.escape(r.field)}"], #${CSS.escape(r.field)}`);
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    const e = $(`#${CSS.escape(input.id)}-err`);
    if (e) { e.textContent = r.error; e.hidden = false; }
    input.focus();
  }
  out.replaceChildren(msg('bad', r.error || t('failed')));
}

const fmt = (v, d = 1) => (typeof v === 'number' ? v.toFixed(d) : '-');

async function pageConnectors(m) {
  const box = el('div', { class: 'cards', 'aria-live': 'polite' });
  m.append(box);
  const poll = async () => {
    const r = await api('GET', '/api/status');
    if (!r.ok) return box.replaceChildren(msg('bad', r.error));
    draw(r.data);
  };
  const draw = (st) => {
    box.replaceChildren(...[fwDisplay(st)].filter(Boolean), ...st.connectors.map((c) => el('section', { class: 'card', 'data-connector': c.id },
      el('h2', { text: t('connector', c.id) }),
      el('dl', {},
        el('dt', { text: t('state') }), el('dd', { class: 'state', 'data-field': 'state', 'data-state': c.state, text: I18N.en[`st_${c.state}`] ? t(`st_${c.state}`) : c.state }),
        el('dt', { text: t('offered') }), el('dd', { 'data-field': 'offered', text: `${fmt(c.offered_a)} A (${c.limit_reason})` }),
        el('dt', { text: t('power') }), el('dd', { 'data-field': 'power', text: `${fmt(c.power_w / 1000, 2)} kW` }),
        el('dt', { text: t('energy') }), el('dd', { text: `${fmt(c.energy_wh / 1000, 2)} kWh` }),
        c.session ? [el('dt', { text: t('session_energy') }), el('dd', { 'data-field': 'session', text: `${fmt(c.session_energy_wh / 1000, 3)} kWh (${c.id_tag})` })] : null,
        el('dt', { text: t('faults') }), el('dd', { text: c.faults.length ? c.faults.join(', ') : t('none') }),
        el('dt', { text: t('led') }), el('dd', { text: c.led })),
      role() >= 1 ? el('div', { class: 'row' }, el('button', { class: 'secondary', text: t('unlock'), onclick: async () => {
        const u = await api('POST', `/api/connectors/${c.id}/unlock`, {});
        toast(u.ok ? t('done') : u.error);
      } })) : null)));
  };
  await poll();
  // Live: the server's events (one a second); polling if they fail.
  if (window.EventSource) {
    events = new EventSource('/api/events');
    events.onmessage = (e) => draw(JSON.parse(e.data));
    events.onerror = () => {
      if (!events) return;
      events.close();
      events = null;
      if (!timer && me) timer = setInterval(poll, 1000);
    };
  } else {
    timer = setInterval(poll, 1000);
  }
}

async function pageInfo(m) {
  const [r, st] = await Promise.all([api('GET', '/api/info'), api('GET', '/api/status')]);
  if (!r.ok) return m.append(msg('bad', r.error));
  if (st.ok) m.append(fwDisplay(st.data) || '');
  const i = r.data;
  m.append(el('dl', {},
    ...[['vendor', i.vendor], ['model', i.model], ['serial', i.serial], ['firmware', i.firmware],
      ['connectors_n', `${i.connectors} (${i.connector_type})`], ['web_address', i.addresses.web],
      ['csms_url', i.addresses.ocpp_url || t('none')]].flatMap(([k, v]) => [el('dt', { text: t(k) }), el('dd', { text: v })])));
}

async function pageTransactions(m) {
  const r = await api('GET', '/api/history');
  if (!r.ok) return m.append(msg('bad', r.error));
  m.append(el('p', {}, el('a', { href: '/api/history.csv', download: 'evsed-history.csv', text: t('csv') })));
  const cols = ['number', 'connector', 'start', 'end', 'start_mode', 'stop_mode', 'energy_wh', 'id_tag'];
  m.append(el('div', { class: 'scroll' }, el('table', {},
    el('thead', {}, el('tr', {}, cols.map((c) => el('th', { scope: 'col', text: t(`h_${c}`) })))),
    el('tbody', {}, r.data.map((s) => el('tr', {}, cols.map((c) => el('td', { text: c === 'energy_wh' ? fmt(s[c], 0) : (s[c] ?? '-') }))))))));
  if (!r.data.length) m.append(el('p', { text: t('no_sessions') }));
}

// A setting's name and help in the page's language (G5, SETTING_TEXT in
// i18n.js); English help is the registry's; a setting without a
// translation shows its key and the registry's help, never nothing.
function settingLabel(s) {
  const x = SETTING_TEXT[s.key];
  return (x && ((x[lang] && x[lang][0]) || (x.en && x.en[0]))) || s.key;
}
function settingHelp(s) {
  const x = SETTING_TEXT[s.key];
  return (lang !== 'en' && x && x[lang] && x[lang][1]) || s.help;
}

/** Settings from the registry, as one form; pick(setting) chooses them. */
async function settingsForm(m, pick) {
  const r = await api('GET', '/api/settings');
  if (!r.ok) return m.append(msg('bad', r.error));
  const list = r.data.filter(typeof pick === 'function' ? pick : (s) => pick.some((p) => s.key.startsWith(p)));
  if (!list.length) return m.append(el('p', { text: t('nothing_here') }));
  const out = el('div');
  const f = el('form', { novalidate: true });
  let group = null;
  for (const s of list) {
    if (s.group !== group) { group = s.group; f.append(el('h2', { text: group })); }
    const id = `s-${s.key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    let input;
    const common = { id, name: s.key, 'data-key': s.key, disabled: s.read_only || s.source === 'command line' || role() < 2, 'aria-describedby': `${id}-help` };
    if (s.type === 'bool' || s.type === 'enum') {
      const vals = s.type === 'bool' ? ['true', 'false'] : s.values.split('|');
      input = el('select', common, vals.map((v) => el('option', { value: v, selected: v === s.value, text: v })));
    } else if (s.type === 'int' || s.type === 'number') {
      input = el('input', { ...common, type: 'number', inputmode: 'decimal', min: s.min, max: s.max, step: s.type === 'int' ? 1 : 'any', value: s.value });
    } else {
      input = el('input', { ...common, type: s.secret ? 'password' : 'text', value: s.secret ? '' : s.value, placeholder: s.secret && s.value ? t('unchanged') : null, autocomplete: 'off' });
    }
    input.dataset.orig = s.secret ? '' : s.value;
    const label = el('label', { for: id, text: settingLabel(s) }, ' ', el('code', { class: 'key', text: s.key }),
      s.reboot_required ? el('span', { class: 'badge', text: t('restart') }) : null);
    const range = s.min !== undefined ? ` (${s.min}-${s.max}${s.unit ? ` ${s.unit}` : ''})` : (s.unit ? ` (${s.unit})` : '');
    f.append(el('div', { class: 'field' }, label, input,
      el('span', { class: 'help', id: `${id}-help`, text: settingHelp(s) + range }),
      el('span', { class: 'err', id: `${id}-err`, hidden: true })));
  }
  if (role() >= 2) f.append(out, el('button', { type: 'submit', text: t('save') }));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(f);
    const values = {};
    f.querySelectorAll('[data-key]').forEach((i) => { if (!i.disabled && i.value !== i.dataset.orig) values[i.dataset.key] = i.value; });
    if (!Object.keys(values).length) return out.replaceChildren(msg('ok', t('no_changes')));
    const p = await api('PATCH', '/api/settings', { values });
    if (!p.ok) return showError(f, out, p);
    f.querySelectorAll('[data-key]').forEach((i) => { if (i.dataset.key in values) i.dataset.orig = i.value; });
    out.replaceChildren(msg('ok', p.data.reboot_required ? t('saved_restart') : t('saved')));
  });
  m.append(f);
  return { f, out };
}

function pageSettings(m, title, pick) { return settingsForm(m, pick); }

// ---- the installer page (G6): io7 6.1.8 "save all configuration +
// calibrate", "save tilt + calibrate" and "reset to default". The settings
// are the server's list (GET /api/installer), the one it saves and resets.
async function pageInstaller(m) {
  const k = await api('GET', '/api/installer');
  if (!k.ok) return m.append(msg('bad', k.error));
  const keys = k.data;
  const form = await settingsForm(m, (s) => keys.includes(s.key));
  if (!form || role() < 2) return;
  const { f, out } = form;
  // Every field of the page (or the tilt ones), changed or not; the
  // reference is the calibration's own result.
  const values = (pick) => {
    const v = {};
    f.querySelectorAll('[data-key]').forEach((i) => {
      const key = i.dataset.key;
      if (i.disabled || key.startsWith('tilt.zero_') || !pick(key)) return;
      if (i.type === 'password' && i.value === '') return;
      v[key] = i.value;
    });
    return v;
  };
  const calibrate = async (pick) => {
    clearErrors(f);
    const x = await api('POST', '/api/installer/calibrate', { values: values(pick) });
    if (!x.ok) return showError(f, out, x);
    await render();
    $('#main h1').after(msg('ok', t(x.data.reboot_required ? 'calibrated_restart' : 'calibrated', x.data.zero_g.toFixed(2), x.data.zero_angle.toFixed(1))));
  };
  const row = el('div', { class: 'row installer-actions' },
    el('button', { type: 'button', id: 'save-calibrate', text: t('save_calibrate'), onclick: () => calibrate(() => true) }),
    el('button', { type: 'button', id: 'save-tilt-calibrate', class: 'secondary', text: t('save_tilt_calibrate'), onclick: () => calibrate((key) => key.startsWith('tilt.')) }),
    el('button', { type: 'button', id: 'reset-defaults', class: 'danger', text: t('reset_defaults'), onclick: async () => {
      if (!confirm(t('confirm_defaults', keys.join(', ')))) return;
      clearErrors(f);
      const x = await api('POST', '/api/installer/defaults', {});
      if (!x.ok) return showError(f, out, x);
      await render();
      $('#main h1').after(msg('ok', `${t(x.data.reboot_required ? 'defaults_restart' : 'defaults_done')}${x.data.kept.length ? ` (${t('defaults_kept', x.data.kept.join(', '))})` : ''}`));
    } }));
  m.append(el('p', { class: 'help', text: t('calibrate_help') }), row);
}

async function pageCsms(m) {
  const r = await api('GET', '/api/ocpp');
  if (r.ok) {
    const c = r.data.csms;
    m.append(el('dl', { class: 'card' },
      el('dt', { text: t('csms_url') }), el('dd', { text: c.url || t('none') }),
      el('dt', { text: t('connection') }), el('dd', { text: c.connected ? t('connected') : t('disconnected') }),
      el('dt', { text: t('bytes') }), el('dd', { text: `${c.bytes_sent} / ${c.bytes_received}` })));
  }
  await settingsForm(m, CSMS);
}

// Smart charging (C8 G3): the profiles the CSMS installed, the installer's
// clear, then the smart.* settings.
async function pageSmart(m) {
  const box = el('section', { 'aria-labelledby': 'profiles-h' });
  m.append(box);
  const draw = async (note) => {
    const [st, oc] = await Promise.all([api('GET', '/api/status'), api('GET', '/api/ocpp')]);
    if (!st.ok) return box.replaceChildren(msg('bad', st.error));
    const ps = st.data.charging_profiles || [];
    const csms = oc.ok && oc.data.charging_profiles !== null;
    const kids = [el('h2', { id: 'profiles-h', text: t('profiles_h') }), note || null,
      el('p', { 'data-field': 'profiles', text: !csms ? t('profiles_none') : t('profiles_n', ps.length) })];
    if (ps.length) {
      const cols = ['h_pid', 'h_connector', 'h_purpose', 'h_stack', 'h_kind', 'h_unit', 'h_valid', 'h_periods'];
      kids.push(el('div', { class: 'scroll' }, el('table', { 'data-table': 'profiles' },
        el('caption', { class: 'sr', text: t('profiles_h') }),
        el('thead', {}, el('tr', {}, cols.map((c) => el('th', { scope: 'col', text: t(c) })))),
        el('tbody', {}, ps.map((p) => el('tr', { 'data-profile': p.id },
          el('th', { scope: 'row', text: String(p.id) }),
          el('td', { text: p.connector === 0 ? t('all_connectors') : String(p.connector) }),
          el('td', { text: p.purpose }),
          el('td', { text: String(p.stack_level) }),
          el('td', { text: p.recurrency ? `${p.kind} (${p.recurrency})` : p.kind }),
          el('td', { text: p.unit }),
          el('td', { text: `${p.valid_from || t('always')} - ${p.valid_to || t('always')}` }),
          el('td', { text: p.periods.map((x) => `${x.start} s: ${fmt(x.limit)} ${p.unit}`).join(', ') })))))));
    }
    if (csms && role() >= 2) {
      kids.push(el('div', { class: 'row' }, el('button', { class: 'danger', 'data-action': 'clear-profiles', text: t('clear_profiles'), disabled: !ps.length, onclick: async () => {
        if (!confirm(t('confirm_clear_profiles'))) return;
        const x = await api('POST', '/api/profiles/clear', {});
        draw(msg(x.ok ? 'ok' : 'bad', x.ok ? x.message : x.error));
      } })));
    }
    box.replaceChildren(...kids.filter(Boolean));
  };
  await draw();
  await settingsForm(m, SMART);
}

// Load balancing (E2-E6 G3): the site (lm mode, meter, limits) live from the
// status events, the group table polled every 2 s, then the settings.
async function pageBalancing(m) {
  const site = el('section', { class: 'card', 'aria-labelledby': 'site-h', 'aria-live': 'polite' });
  const grp = el('section', { 'aria-labelledby': 'group-h' });
  const out = el('div');
  m.append(site, grp);
  const A3 = (a) => (Array.isArray(a) ? a.map((x) => fmt(x)).join(' / ') + ' A' : '-');
  const drawSite = (st) => {
    const lm = st.load_management || {};
    const mt = lm.meter;
    const rows = [['lm_mode', lm.mode], ['site_meter', A3(lm.site_a)], ['site_limit', A3(lm.limit_a)]];
    if (mt && mt.model) {
      rows.push(['meter_model', mt.model],
        ['meter_state', mt.ok ? t('meter_ok', fmt(mt.age_s)) : (mt.last_error || t('failed'))],
        ['meter_counts', `${mt.reads} / ${mt.errors}`],
        ['meter_timeout', mt.timeout ? t('yes') : t('no')]);
    }
    site.replaceChildren(el('h2', { id: 'site-h', text: t('site_h') }),
      el('dl', {}, rows.flatMap(([k, v]) => [el('dt', { text: t(k) }), el('dd', { 'data-field': k, text: v ?? '-' })])));
  };
  const drawGroup = (r) => {
    const kids = [el('h2', { id: 'group-h', text: t('group_h') })];
    if (!r.ok) {
      kids.push(msg(r.status === 409 ? 'ok' : 'bad', r.status === 409 ? t('group_off') : r.error));
      return grp.replaceChildren(...kids);
    }
    const g = r.data;
    kids.push(el('p', { 'data-field': 'group-summary', text: t('group_summary', g.id, fmt(g.limit_a), g.balancing, g.policy, g.master || t('none')) }));
    const cols = ['h_member', 'h_state', 'h_connector', 'h_phases', 'h_requested', 'h_offered', 'h_used'];
    const rows = [];
    for (const x of g.members) {
      const name = `${x.id}${x.master ? ` (${t('master')})` : ''}${x.self ? ` - ${t('this_charger')}` : ''}`;
      const state = x.online ? t('m_online') : t('m_offline');
      const cs = x.connectors.length ? x.connectors : [null];
      cs.forEach((c, i) => rows.push(el('tr', { 'data-member': x.id, 'data-conn': c ? c.id : '' },
        i === 0 ? el('th', { scope: 'row', rowspan: cs.length, text: name }) : null,
        i === 0 ? el('td', { rowspan: cs.length, class: x.online ? '' : 'bad', text: state }) : null,
        el('td', { text: c ? String(c.id) : '-' }),
        el('td', { text: c ? c.phases.join(', ') : '-' }),
        el('td', { text: c ? `${fmt(c.requested_a)} A` : '-' }),
        el('td', { 'data-field': 'offered', text: c && typeof c.offered_a === 'number' ? `${fmt(c.offered_a)} A` : '-' }),
        el('td', { text: c ? A3(c.used_a) : '-' }))));
    }
    kids.push(el('div', { class: 'scroll' }, el('table', { 'data-table': 'group' },
      el('caption', { class: 'sr', text: t('group_h') }),
      el('thead', {}, el('tr', {}, cols.map((c) => el('th', { scope: 'col', text: t(c) })))),
      el('tbody', {}, rows))));
    if (role() >= 2) {
      const act = (key, path, body, confirmKey) => el('button', { class: confirmKey ? 'danger' : 'secondary', 'data-action': key, text: t(key), onclick: async () => {
        if (confirmKey && !confirm(t(confirmKey))) return;
        const x = await api('POST', path, body);
        out.replaceChildren(msg(x.ok ? 'ok' : 'bad', x.ok ? x.message : x.error));
        poll();
      } });
      kids.push(el('div', { class: 'row' }, act('identify_this', '/api/group/identify', { all: false }),
        act('identify_all', '/api/group/identify', { all: true }),
        act('rebuild_group', '/api/group/rebuild', {}, 'confirm_rebuild')));
    }
    kids.push(out);
    grp.replaceChildren(...kids);
  };
  // With group.mode off there is no group to ask for (the API says 409).
  const sets = await api('GET', '/api/settings');
  const gm = sets.ok ? sets.data.find((x) => x.key === 'group.mode') : null;
  const groupOn = !!gm && gm.value !== 'off';
  let live = false;
  const poll = async () => {
    if (!live) {
      const s = await api('GET', '/api/status');
      if (s.ok) drawSite(s.data);
    }
    drawGroup(groupOn ? await api('GET', '/api/group') : { ok: false, status: 409 });
  };
  await poll();
  await settingsForm(m, BALANCING);
  // The group every 2 s (also the site's fall-back); the site from the
  // server's events.
  timer = setInterval(poll, 2000);
  if (window.EventSource) {
    events = new EventSource('/api/events');
    events.onopen = () => { live = true; };
    events.onmessage = (e) => drawSite(JSON.parse(e.data));
    events.onerror = () => {
      if (!events) return;
      events.close();
      events = null;
      live = false;
    };
  }
}

function pageOcpp(m) { return settingsForm(m, (s) => !!s.ocpp_key); }

async function pageCards(m) {
  const r = await api('GET', '/api/cards');
  if (!r.ok) return m.append(msg('bad', r.error));
  const out = el('div');
  m.append(el('p', { text: t('cards_count', r.data.cards.length, r.data.capacity) }));
  m.append(el('ul', {}, r.data.cards.map((c, i) => el('li', {}, `${i + 1}. ${c} `,
    role() >= 2 ? el('button', { class: 'secondary', text: t('remove'), 'aria-label': `${t('remove')} ${c}`, onclick: async () => {
      const x = await api('POST', '/api/cards/remove', { uid: c });
      if (x.ok) render(); else out.replaceChildren(msg('bad', x.error));
    } }) : null))));
  if (role() < 2) return;
  const add = el('form', { novalidate: true }, el('h2', { text: t('add_card') }),
    field('uid', t('card_uid'), el('input', { id: 'uid', 'data-key': 'uid', autocomplete: 'off' })), el('button', { type: 'submit', text: t('add') }));
  add.addEventListener('submit', async (e) => {
    e.preventDefault();
    const x = await api('POST', '/api/cards', { uid: add.uid.value });
    if (x.ok) render(); else out.replaceChildren(msg('bad', x.error));
  });
  const learn = el('form', { novalidate: true }, el('h2', { text: t('learn_card') }), el('p', { class: 'help', text: t('learn_help') }),
    field('slot', t('card_slot'), el('input', { id: 'slot', type: 'number', min: 1, max: r.data.capacity, value: 1 })), el('button', { type: 'submit', text: t('learn') }));
  learn.addEventListener('submit', async (e) => {
    e.preventDefault();
    const x = await api('POST', '/api/cards/learn', { slot: learn.slot.value });
    out.replaceChildren(msg(x.ok ? 'ok' : 'bad', x.ok ? t('present_card') : x.error));
  });
  m.append(out, add, learn);
}

async function pageLogs(m) {
  const [l, f] = await Promise.all([api('GET', '/api/logs'), api('GET', '/api/faults')]);
  m.append(el('h2', { text: t('faults') }));
  // The fault report (G7): the whole fault history as CSV.
  m.append(el('p', {}, el('a', { class: 'button', href: '/api/faults.csv', download: 'evsed-faults.csv', 'data-action': 'faults-csv', text: t('w3_faults_csv') })));
  if (f.ok) m.append(f.data.length ? el('ul', { 'data-list': 'faults' }, f.data.map((x) => el('li', { text: `${x.start} ${x.fault} (${t('connector', x.connector)})${x.end ? ` - ${x.end}` : ` - ${t('w3_fault_open')}`}${x.text ? `: ${x.text}` : ''}` }))) : el('p', { text: t('none') }));
  m.append(el('h2', { text: t('p_logs') }));
  if (l.ok) m.append(el('pre', { class: 'logs', text: l.data.join('\n') || t('none') }));
}

async function pageUsers(m) {
  const r = await api('GET', '/api/users');
  if (!r.ok) return m.append(msg('bad', r.error));
  m.append(el('div', { class: 'scroll' }, el('table', {},
    el('thead', {}, el('tr', {}, ['user', 'role', 'must_change_h'].map((c) => el('th', { scope: 'col', text: t(c) })))),
    el('tbody', {}, r.data.map((u) => el('tr', {}, el('td', { text: u.user }), el('td', { text: u.role }), el('td', { text: u.must_change ? t('yes') : t('no') })))))));
  const out = el('div');
  const f = el('form', { novalidate: true }, el('h2', { text: t('reset_pw') }),
    field('ruser', t('user'), el('select', { id: 'ruser', 'data-key': 'user' }, r.data.filter((u) => u.user !== me.user).map((u) => el('option', { value: u.user, text: u.user })))),
    field('rpass', t('temp_pw'), el('input', { id: 'rpass', 'data-key': 'password', type: 'password', autocomplete: 'new-password' }), t('pw_rule')),
    out, el('button', { type: 'submit', text: t('reset') }));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(f);
    const x = await api('POST', '/api/users/reset', { user: $('#ruser').value, password: $('#rpass').value });
    if (!x.ok) return showError(f, out, x);
    out.replaceChildren(msg('ok', t('reset_done')));
  });
  m.append(f);
}

async function pageMaintenance(m) {
  const out = el('div');
  const act = (key, path, confirmKey) => el('button', { class: confirmKey ? 'danger' : '', text: t(key), onclick: async () => {
    if (confirmKey && !confirm(t(confirmKey))) return;
    const x = await api('POST', path, {});
    out.replaceChildren(msg(x.ok ? 'ok' : 'bad', x.ok ? t('restarting') : x.error));
  } });
  m.append(out, el('div', { class: 'row' }, act('reboot', '/api/maintenance/reboot', 'confirm_reboot'),
    role() >= 2 ? act('factory_reset', '/api/maintenance/factory-reset', 'confirm_factory') : null));
  if (role() < 2) return;
  const info = await api('GET', '/api/info');
  const f = el('form', { novalidate: true }, el('h2', { text: t('serial') }),
    field('serial', t('serial'), el('input', { id: 'serial', 'data-key': 'serial', value: info.ok ? info.data.serial : '', autocomplete: 'off' })),
    el('button', { type: 'submit', text: t('save') }));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(f);
    const x = await api('POST', '/api/maintenance/serial', { serial: $('#serial').value });
    if (!x.ok) return showError(f, out, x);
    out.replaceChildren(msg('ok', t('saved')));
  });
  m.append(f);
}

// ---- system time, network, LED (G3) -----------------------------------------

/** A definition list from [key, value, field] rows. */
const w3dl = (rows) => el('dl', {}, rows.flatMap(([k, v, f]) => [el('dt', { text: t(k) }), el('dd', { 'data-field': f || k, text: v })]));

// System time: the charger's clock (UTC and local), where it was last set
// from, refreshed every second; then the time zone form.
async function pageTime(m) {
  const box = el('section', { class: 'card', 'aria-labelledby': 'time-h' });
  m.append(box);
  const draw = async () => {
    const r = await api('GET', '/api/time');
    if (!r.ok) return box.replaceChildren(msg('bad', r.error));
    const x = r.data;
    const step = x.step_s ? ` (${x.step_s > 0 ? '+' : ''}${x.step_s} s)` : '';
    const csms = !x.csms.configured ? t('w3_csms_no') : x.csms.connected ? t('w3_csms_on') : t('w3_csms_off');
    box.replaceChildren(el('h2', { id: 'time-h', text: t('w3_time_h') }), w3dl([
      ['w3_utc', x.utc, 'utc'],
      ['w3_local', `${x.local} ${x.zone}${x.dst ? ` (${t('w3_dst')})` : ''}`, 'local'],
      ['w3_clock', t(`w3_clock_${x.clock}`), 'clock'],
      ['w3_source', `${t(`w3_src_${x.source}`)}${step}`, 'source'],
      ['w3_set_at', x.set_at, 'set_at'],
      ['w3_csms_time', csms, 'csms'],
    ]));
  };
  await draw();
  timer = setInterval(draw, 1000);
  await settingsForm(m, ['time.']);
}

// Network: the interfaces and the CSMS connection, every 2 s. Read-only:
// setting up Ethernet, Wi-Fi or 4G is not built (H1), and the page says so.
async function pageNetwork(m) {
  const box = el('div', { 'aria-live': 'polite' });
  m.append(el('p', { class: 'help', 'data-field': 'h1', text: t('w3_net_readonly') }), box);
  const draw = async () => {
    const r = await api('GET', '/api/network');
    if (!r.ok) return box.replaceChildren(msg('bad', r.error));
    const x = r.data;
    const c = x.csms;
    const cols = ['w3_if', 'w3_if_state', 'w3_mac', 'w3_addrs'];
    box.replaceChildren(...[
      w3dl([['w3_hostname', x.hostname || '-', 'hostname']]),
      el('h2', { id: 'if-h', text: t('w3_if_h') }),
      el('div', { class: 'scroll' }, el('table', { 'data-table': 'interfaces', 'aria-labelledby': 'if-h' },
        el('thead', {}, el('tr', {}, cols.map((k) => el('th', { scope: 'col', text: t(k) })))),
        el('tbody', {}, x.interfaces.map((f) => el('tr', { 'data-if': f.name },
          el('th', { scope: 'row', text: f.name + (f.loopback ? ` (${t('w3_loopback')})` : '') }),
          el('td', { class: f.up ? '' : 'bad', text: f.up ? (f.running ? t('w3_up') : t('w3_no_link')) : t('w3_down') }),
          el('td', { text: f.mac || '-' }),
          el('td', { text: f.addresses.map((a) => `${a.address}${a.prefix !== null ? `/${a.prefix}` : ''}`).join(', ') || '-' })))))),
      x.left_out ? el('p', { text: t('w3_left_out', x.left_out) }) : null,
      el('h2', { text: t('p_csms') }),
      w3dl([['csms_url', c.url || t('none'), 'csms_url'],
        ['connection', c.connected ? t('connected') : t('disconnected'), 'connection'],
        ['w3_sent', String(c.bytes_sent), 'bytes_sent'],
        ['w3_received', String(c.bytes_received), 'bytes_received']])].filter(Boolean));
  };
  await draw();
  timer = setInterval(draw, 2000);
}

/** An LED pattern ("blue-pulsing") as colour chips and its name. */
const W3_COLOURS = ['green', 'yellow', 'magenta', 'blue', 'red', 'white', 'pink'];
function w3led(pattern) {
  const chips = pattern.split('-').filter((w) => W3_COLOURS.includes(w)).map((w) => el('span', { class: `led-chip led-${w}`, 'aria-hidden': 'true' }));
  return el('span', { class: 'led' }, ...chips, ` ${pattern}`);
}

// LED: each connector's pattern and brightness now (every second), the
// legend of the running product's scheme (from the indication core, through
// the API), identify, then the brightness and dimming settings.
async function pageLed(m) {
  const now = el('div', { class: 'cards', 'aria-live': 'polite' });
  const out = el('div');
  m.append(now);
  const r = await api('GET', '/api/led');
  if (!r.ok) return now.replaceChildren(msg('bad', r.error));
  const drawNow = (x) => now.replaceChildren(...x.connectors.map((c) => el('section', { class: 'card', 'data-led-connector': c.id },
    el('h2', { text: t('connector', c.id) }),
    el('dl', {},
      el('dt', { text: t('state') }), el('dd', { text: I18N.en[`st_${c.state}`] ? t(`st_${c.state}`) : c.state }),
      el('dt', { text: t('led') }), el('dd', { 'data-field': 'led' }, w3led(c.led)),
      el('dt', { text: t('w3_brightness') }), el('dd', { 'data-field': 'brightness', text: c.brightness < 0 ? '-' : `${c.brightness} %${c.dimmed ? ` (${t('w3_dimmed')})` : ''}` })))));
  drawNow(r.data);
  if (role() >= 1) {
    m.append(el('div', { class: 'row' }, el('button', { class: 'secondary', 'data-action': 'identify', text: t('w3_identify'), onclick: async () => {
      const x = await api('POST', '/api/led/identify', {});
      out.replaceChildren(msg(x.ok ? 'ok' : 'bad', x.ok ? t('w3_identifying') : x.error));
    } })), out);
  }
  // The legend: one row per pattern with every situation that shows it
  // (faults of one kind together: "fault: overcurrent, rcd").
  const rows = new Map();
  for (const l of r.data.legend) {
    const st = I18N.en[`st_${l.status}`] ? t(`st_${l.status}`) : l.status;
    const what = l.fault ? t(`w3_case_${l.case}`)
      : ['rejected', 'identify'].includes(l.case) ? t(`w3_case_${l.case}`)
        : l.case ? `${st}, ${t(`w3_case_${l.case}`)}` : st;
    if (!rows.has(l.pattern)) rows.set(l.pattern, new Map());
    const ws = rows.get(l.pattern);
    if (!ws.has(what)) ws.set(what, []);
    if (l.fault) ws.get(what).push(l.fault);
  }
  const text = (ws) => [...ws].map(([w, fs]) => (fs.length ? `${w}: ${fs.join(', ')}` : w)).join('; ');
  m.append(el('h2', { id: 'legend-h', text: t('w3_legend', r.data.scheme) }),
    el('div', { class: 'scroll' }, el('table', { 'data-table': 'legend', 'aria-labelledby': 'legend-h' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: t('led') }), el('th', { scope: 'col', text: t('w3_means') }))),
      el('tbody', {}, [...rows].map(([p, ws]) => el('tr', { 'data-pattern': p }, el('th', { scope: 'row' }, w3led(p)), el('td', { text: text(ws) })))))));
  timer = setInterval(async () => {
    const x = await api('GET', '/api/led');
    if (x.ok) drawNow(x.data);
  }, 1000);
  await settingsForm(m, (s) => s.key === 'LightIntensity' || s.key.startsWith('led.'));
}

// ---- firmware upgrade (G4) ---------------------------------------------------

// The EVPLUS result codes, as the status and the upload's answer give them.
const FW_CODES = { '100 UP': 'fwc_100', 'E01 UP': 'fwc_E01', 'E02 UP': 'fwc_E02', 'E03 UP': 'fwc_E03', 'E04 UP': 'fwc_E04' };
const fwText = (code) => (FW_CODES[code] ? t(FW_CODES[code]) : code);

/** The code "on the display" (status firmware.display_code), or null. */
function fwDisplay(st) {
  const code = st.firmware && st.firmware.display_code;
  if (!code) return null;
  return el('p', { class: `msg ${code === '100 UP' ? 'ok' : 'bad'} fwcode`, 'data-field': 'display-code', role: 'status' },
    el('strong', { class: 'code', text: code }), ` ${fwText(code)}`);
}

/** POST the file with XMLHttpRequest (fetch reports no upload progress). */
function fwSend(file, checksum, onProgress) {
  return new Promise((resolve) => {
    const x = new XMLHttpRequest();
    x.open('POST', `/api/firmware?checksum=${encodeURIComponent(checksum)}`);
    x.setRequestHeader('x-csrf-token', me.csrf);
    x.setRequestHeader('content-type', 'application/octet-stream');
    x.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    x.onload = () => {
      let j;
      try { j = JSON.parse(x.responseText); } catch { j = { ok: false, error: `HTTP ${x.status}` }; }
      j.status = x.status;
      resolve(j);
    };
    x.onerror = () => resolve({ ok: false, status: 0, error: t('offline') });
    x.send(file);
  });
}

async function pageUpgrade(m) {
  const st = await api('GET', '/api/status');
  if (!st.ok) return m.append(msg('bad', st.error));
  const fw = st.data.firmware;
  const last = fw.last_upload;
  const ocpp = fw.ocpp;
  m.append(el('dl', { class: 'card' },
    el('dt', { text: t('fw_current') }), el('dd', { 'data-field': 'fw-version', text: fw.version }),
    el('dt', { text: t('fw_last_upload') }), el('dd', { 'data-field': 'fw-last', text: last
      ? `${last.code} ${fwText(last.code)}${last.version ? ` (${last.version})` : ''} - ${last.time}, ${last.by}` : t('fw_none') }),
    el('dt', { text: t('fw_last_ocpp') }), el('dd', { 'data-field': 'fw-ocpp', text: ocpp
      ? `${ocpp.status}${ocpp.last ? ` (${t('fw_last_status')}: ${ocpp.last})` : ''}` : t('fw_no_csms') })));
  const out = el('div', { 'aria-live': 'polite' });
  const bar = el('progress', { id: 'fwprog', max: 100, value: 0, 'aria-label': t('fw_progress') });
  const f = el('form', { novalidate: true },
    field('fwfile', t('fw_file'), el('input', { id: 'fwfile', 'data-key': 'file', type: 'file', accept: '.img,.bin,application/octet-stream' })),
    field('checksum', t('fw_checksum'), el('input', { id: 'checksum', 'data-key': 'checksum', autocomplete: 'off', spellcheck: 'false', inputmode: 'text', maxlength: 64 }), t('fw_checksum_help')),
    el('div', { class: 'field', hidden: true, id: 'fwprog-box' }, el('label', { for: 'fwprog', text: t('fw_progress') }), bar),
    out, el('button', { type: 'submit', text: t('fw_upload') }));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(f);
    const file = $('#fwfile').files[0];
    if (!file) return showError(f, out, { field: 'fwfile', error: t('fw_choose') });
    const btn = f.querySelector('button[type=submit]');
    btn.disabled = true;
    bar.value = 0;
    $('#fwprog-box').hidden = false;
    out.replaceChildren(msg('ok', t('fw_sending')));
    const r = await fwSend(file, $('#checksum').value.trim(), (p) => { bar.value = Math.round(p * 100); });
    btn.disabled = false;
    if (r.status === 202) {
      out.replaceChildren(msg('ok', t('fw_installing')));
      timer = setInterval(async () => {
        const s = await api('GET', '/api/status');
        const code = s.ok && s.data.firmware.display_code;
        if (!code) return;
        clearInterval(timer);
        timer = null;
        out.replaceChildren(fwResult(code, s.data.firmware.last_upload && s.data.firmware.last_upload.version));
      }, 1000);
      return;
    }
    if (r.field) return showError(f, out, r);
    if (r.code || (r.ok && r.data)) return out.replaceChildren(fwResult(r.code || r.data.code, r.ok ? r.data.version : null));
    showError(f, out, r);
  });
  m.append(el('h2', { text: t('fw_upload_h') }), f);
}

/** The result: the code as the display shows it and its meaning. */
function fwResult(code, version) {
  const ok = code === '100 UP';
  return el('div', { class: `msg ${ok ? 'ok' : 'bad'} fwcode`, role: ok ? 'status' : 'alert', 'data-field': 'fw-result' },
    el('strong', { class: 'code', text: code }), ` ${fwText(code)}`,
    ok && version ? el('p', { text: t('fw_restarting', version) }) : null);
}

// ---- start -------------------------------------------------------------------

function translateStatic() {
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-t]').forEach((e) => { e.textContent = t(e.dataset.t); });
}

$('#lang').value = lang;
$('#lang').addEventListener('change', (e) => {
  lang = e.target.value;
  localStorage.setItem('lang', lang);
  translateStatic();
  render();
});
$('#logout').addEventListener('click', async () => {
  await api('POST', '/api/logout', {});
  me = null;
  render();
});
$('#menu').addEventListener('click', () => {
  const open = $('#nav').classList.toggle('open');
  $('#menu').setAttribute('aria-expanded', String(open));
});
$('#navlist').addEventListener('click', () => $('#nav').classList.remove('open'));
window.addEventListener('hashchange', render);
translateStatic();
render();
