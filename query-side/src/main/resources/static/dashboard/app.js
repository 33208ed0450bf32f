// affnet's console and portals: plain JS over the platform's REST API, no build step, nothing from a CDN.
// The API key lives in sessionStorage (this tab only) and goes out as a Bearer header on every call.
// One page, three faces chosen by the key's role (GET /api/v1/me): the operator console (tenant admin;
// analysts and auditors read-only), the affiliate portal and the advertiser portal. Every figure comes
// from a response the role may load; the server strips what the role may not see (FieldGrants).
(function () {
  'use strict';
  const KEY = 'affnet.key';
  const PAGE = 20;
  const $ = (id) => document.getElementById(id);
  const S = { me: null, dir: null, fields: null };

  // ------------------------------------------------------------------ basics

  function key() { return sessionStorage.getItem(KEY); }

  class ApiError extends Error {
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title)) || ('HTTP ' + status));
      this.status = status;
      this.problem = problem || {};
    }
  }

  async function api(method, path, body, accept) {
    const headers = { 'Authorization': 'Bearer ' + key(), 'Accept': accept || 'application/json' };
    if (body !== undefined && body !== null) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, { method, headers, body: body == null ? undefined : JSON.stringify(body) });
    if (!response.ok) {
      let problem = null;
      try { problem = await response.json(); } catch (e) { /* not JSON */ }
      throw new ApiError(response.status, problem);
    }
    if (response.status === 204) return null;
    if (accept === 'text/csv') return response.text();
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }
  const get = (path) => api('GET', path);

  /** Every item of a paged config list (?limit=200&after=). */
  async function all(kind) {
    let items = [];
    let after = '';
    for (let i = 0; i < 50; i++) {
      const page = await get('/api/v1/' + kind + '?limit=200' + (after ? '&after=' + encodeURIComponent(after) : ''));
      items = items.concat(page.items);
      if (!page.next) break;
      after = page.next;
    }
    return items;
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === undefined || v === null || v === false) return;
      if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k === 'text') e.textContent = v;
      else if (v === true) e.setAttribute(k, '');
      else e.setAttribute(k, v);
    });
    children.flat().forEach((c) => { if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : String(c)); });
    return e;
  }

  function isStaff() { return ['TENANT_ADMIN', 'TENANT_ANALYST', 'AUDITOR'].includes(S.me.role); }
  function canEdit() { return S.me.role === 'TENANT_ADMIN'; }

  function localDate(offsetDays, base) {
    const d = new Date((base || Date.now()) + offsetDays * 86400000);
    return new Intl.DateTimeFormat('en-CA', { timeZone: S.me.timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  }
  function addDays(iso, days) {
    const d = new Date(iso + 'T12:00:00Z');
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  }

  // Names where the API has ids; the id stays on hover (title) and in detail views.
  function nameOf(kind, id) {
    if (id === null || id === undefined || id === '') return '';
    const entry = S.dir && S.dir[kind] && S.dir[kind][id];
    if (!entry) return id;
    if (kind === 'links') {
      const aff = nameOf('affiliates', entry.affiliateId);
      const offers = entry.offerIds.map((o) => nameOf('offers', o));
      return (entry.smart ? 'Smart: ' : '') + offers.join(' / ') + (isStaff() ? ' · ' + aff : '') + ' (' + entry.code + ')';
    }
    return entry.name;
  }
  const KIND_OF = { offer: 'offers', affiliate: 'affiliates', advertiser: 'advertisers', link: 'links' };
  function cell(column, value) {
    const kind = KIND_OF[column];
    if (kind && value) return el('span', { title: column + ' id ' + value, 'data-id': value }, nameOf(kind, value));
    return value === null || value === undefined ? '' : String(value);
  }
  function cellText(column, value) {
    const kind = KIND_OF[column];
    if (kind && value) return nameOf(kind, value);
    return value === null || value === undefined ? '' : String(value);
  }

  function copyButton(input) {
    return el('button', { type: 'button', onclick: async (e) => {
      input.select();
      try { await navigator.clipboard.writeText(input.value); } catch (err) { document.execCommand('copy'); }
      e.target.textContent = 'Copied';
      setTimeout(() => { e.target.textContent = 'Copy'; }, 1500);
    } }, 'Copy');
  }

  function download(name, text, type) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = el('a', { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function csvOf(rows) {
    return rows.map((r) => r.map((v) => {
      const s = v === null || v === undefined ? '' : String(v);
      return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    }).join(',')).join('\r\n') + '\r\n';
  }

  // ------------------------------------------------------------------ tables: sort, search, page

  /**
   * A table over rows already loaded: columns [{key, label, num, render(row), text(row)}], search over
   * the text of every column, sorting by a header (a button, so the keyboard reaches it), pages of 20.
   */
  function dataTable(target, columns, rows, opts) {
    const o = Object.assign({ search: true, page: PAGE, id: 'list' }, opts || {});
    let sortKey = o.sortKey || null;
    let desc = !!o.desc;
    let page = 0;
    let query = '';
    const text = (c, r) => (c.text ? c.text(r) : cellText(c.key, r[c.key]));
    const box = el('div');
    const searchInput = el('input', { type: 'search', id: o.id + '-search', 'aria-label': 'Search', placeholder: 'Search…' });
    const info = el('span', { class: 'muted', 'aria-live': 'polite' });
    const prev = el('button', { type: 'button' }, '‹ Previous');
    const next = el('button', { type: 'button' }, 'Next ›');
    const wrap = el('div', { class: 'table-wrap' });
    if (o.search) box.append(el('div', { class: 'toolbar' }, el('label', {}, 'Search', searchInput)));
    box.append(wrap, el('div', { class: 'pager' }, prev, next, info));
    function render() {
      let shown = rows.filter((r) => !query || columns.some((c) => text(c, r).toLowerCase().includes(query)));
      if (sortKey) {
        const c = columns.find((x) => x.key === sortKey);
        shown = shown.slice().sort((a, b) => {
          const x = c.num ? Number(c.value ? c.value(a) : a[c.key]) || 0 : text(c, a).toLowerCase();
          const y = c.num ? Number(c.value ? c.value(b) : b[c.key]) || 0 : text(c, b).toLowerCase();
          return (x < y ? -1 : x > y ? 1 : 0) * (desc ? -1 : 1);
        });
      }
      const pages = Math.max(1, Math.ceil(shown.length / o.page));
      page = Math.min(page, pages - 1);
      const table = el('table', { id: o.id + '-table' });
      const head = el('tr');
      columns.forEach((c) => {
        const sorted = sortKey === c.key;
        head.append(el('th', { class: c.num ? 'num' : null, scope: 'col',
          'aria-sort': sorted ? (desc ? 'descending' : 'ascending') : null },
        c.sortable === false ? c.label : el('button', { type: 'button', class: 'sort', 'data-sort': c.key, onclick: () => {
          if (sortKey === c.key) desc = !desc; else { sortKey = c.key; desc = !!c.num; }
          render();
        } }, c.label + (sorted ? (desc ? ' ▼' : ' ▲') : ''))));
      });
      table.append(el('thead', {}, head));
      const body = el('tbody');
      shown.slice(page * o.page, page * o.page + o.page).forEach((r) => {
        const tr = el('tr');
        columns.forEach((c) => tr.append(el('td', { class: c.num ? 'num' : null }, c.render ? c.render(r) : c.text ? c.text(r) : cell(c.key, r[c.key]))));
        body.append(tr);
      });
      if (!shown.length) body.append(el('tr', {}, el('td', { colspan: columns.length, class: 'muted' }, 'Nothing here yet.')));
      table.append(body);
      wrap.replaceChildren(table);
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
      info.textContent = shown.length + ' rows · page ' + (page + 1) + ' of ' + pages;
    }
    searchInput.addEventListener('input', () => { query = searchInput.value.trim().toLowerCase(); page = 0; render(); });
    prev.addEventListener('click', () => { page--; render(); });
    next.addEventListener('click', () => { page++; render(); });
    render();
    target.append(box);
    return { render };
  }

  // ------------------------------------------------------------------ forms with the API's problem details

  function field(label, name, input, hint) {
    input.id = input.id || 'f-' + name.replace(/[^a-zA-Z0-9]/g, '-');
    input.name = name;
    const error = el('span', { class: 'field-error', id: input.id + '-error', 'data-error-for': name, 'aria-live': 'polite' });
    input.setAttribute('aria-describedby', error.id);
    return el('label', { for: input.id, class: input.dataset.wide ? 'wide' : null }, label, input,
      hint ? el('span', { class: 'muted' }, hint) : null, error);
  }
  const input = (attrs) => el('input', Object.assign({ type: 'text' }, attrs));
  function select(options, value, attrs) {
    const s = el('select', attrs || {});
    options.forEach(([v, label]) => s.append(el('option', { value: v, selected: v === value }, label)));
    return s;
  }

  function clearErrors(form) {
    form.querySelectorAll('[data-error-for]').forEach((e) => { e.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
    const alert = form.querySelector('.form-alert');
    if (alert) alert.textContent = '';
  }

  /** Puts each {field, message} of a problem+json next to the input it names (or its closest parent field). */
  function showProblem(form, error) {
    clearErrors(form);
    const alert = form.querySelector('.form-alert');
    const problem = error.problem || {};
    const errors = problem.errors || [];
    let placed = 0;
    const spans = [...form.querySelectorAll('[data-error-for]')];
    errors.forEach((e) => {
      const name = e.field || '';
      const span = spans.find((s) => s.dataset.errorFor === name)
        || spans.filter((s) => name.startsWith(s.dataset.errorFor)).sort((a, b) => b.dataset.errorFor.length - a.dataset.errorFor.length)[0];
      if (span) {
        span.textContent = (span.textContent ? span.textContent + ' ' : '') + e.message;
        const inputEl = form.querySelector('[name="' + span.dataset.errorFor + '"]');
        if (inputEl) inputEl.setAttribute('aria-invalid', 'true');
        placed++;
      }
    });
    if (alert) alert.textContent = (problem.title ? problem.title + ': ' : '') + error.message
      + (errors.length > placed ? '' : '');
    const first = form.querySelector('[aria-invalid=true]');
    if (first) first.focus();
  }

  function formShell(id, title, children, onSubmit, submitLabel) {
    const form = el('form', { class: 'grid', id, novalidate: true });
    const alert = el('p', { class: 'error form-alert wide', role: 'alert' });
    form.append(alert, ...children);
    const saveBtn = el('button', { type: 'submit', class: 'primary', id: id + '-save', disabled: !canEdit() }, submitLabel || 'Save');
    form.append(el('div', { class: 'form-actions' }, saveBtn,
      el('button', { type: 'button', onclick: () => history.back() }, 'Cancel'),
      canEdit() ? null : el('span', { class: 'muted' }, 'Read-only: your role cannot change this.')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      saveBtn.disabled = true;
      try { await onSubmit(form); } catch (err) { showProblem(form, err); } finally { saveBtn.disabled = !canEdit(); }
    });
    return el('section', {}, el('h1', {}, title), form);
  }

  const csvList = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);

  // ------------------------------------------------------------------ reports

  const MONEY = ['revenue', 'payout', 'profit', 'epc'];

  function presets() {
    const today = localDate(0);
    const first = today.slice(0, 8) + '01';
    const prevFirst = addDays(first, -1).slice(0, 8) + '01';
    return {
      today: ['Today', today, addDays(today, 1)],
      yesterday: ['Yesterday', addDays(today, -1), today],
      last7: ['Last 7 days', addDays(today, -6), addDays(today, 1)],
      last30: ['Last 30 days', addDays(today, -29), addDays(today, 1)],
      thisMonth: ['This month', first, addDays(today, 1)],
      lastMonth: ['Last month', prevFirst, first],
    };
  }

  /** The columns of a report table as shown: money in the tenant's currency (converted), names for ids. */
  function shownColumns(table, groups) {
    const cols = [];
    table.columns.forEach((c, i) => {
      if (groups.includes(c)) { cols.push({ i, key: c, label: c.replace('_', ' '), dim: true }); return; }
      const conv = /^([a-z_]+)_converted_([A-Z]{3})$/.exec(c);
      // What an advertiser pays is its cost: the same figure, in its own words.
      const word = (m) => (m === 'revenue' && S.me.role === 'ADVERTISER' ? 'cost' : m);
      if (conv) { cols.push({ i, key: c, metric: conv[1], label: word(conv[1]) + ' (' + conv[2] + ')', num: true }); return; }
      if (/^([a-z_]+)_([A-Z]{3})$/.test(c) && MONEY.includes(c.replace(/_[A-Z]{3}$/, ''))) return;
      cols.push({ i, key: c, metric: c, label: c.replace(/_/g, ' '), num: true });
    });
    return cols;
  }

  function decimalsOf(v) { const s = String(v); return s.includes('.') ? s.length - s.indexOf('.') - 1 : 0; }

  function totalsOf(cols, rows) {
    const byMetric = {};
    const out = cols.map((c, idx) => {
      if (c.dim) return idx === 0 ? 'Total' : '';
      if (c.metric === 'cr' || c.metric === 'epc') return null;
      let dec = 0;
      let sum = 0;
      rows.forEach((r) => { const v = r[idx]; if (v !== null && v !== '') { dec = Math.max(dec, decimalsOf(v)); sum += Number(v); } });
      byMetric[c.metric] = sum;
      return dec ? sum.toFixed(dec) : String(sum);
    });
    cols.forEach((c, idx) => {
      if (c.metric === 'cr') out[idx] = byMetric.clicks ? (byMetric.conversions / byMetric.clicks).toFixed(4) : '';
      if (c.metric === 'epc') out[idx] = byMetric.clicks && byMetric.payout !== undefined ? (byMetric.payout / byMetric.clicks).toFixed(4) : '';
    });
    if (!cols.length || !cols[0].dim) out.unshift('Total');
    return out;
  }

  /** Where a drill-down goes from a group: offer → affiliate → sub1 → sub2 → sub3, and so on. */
  const DRILL = { advertiser: 'offer', offer: 'affiliate', affiliate: 'sub1', link: 'sub1', goal: 'affiliate', country: 'offer',
    device_class: 'offer', source: 'sub1', sub1: 'sub2', sub2: 'sub3', day: 'offer' };
  const TIME_DIMS = ['day', 'week', 'month'];

  function daysBetween(a, b) { return Math.round((Date.parse(b + 'T12:00:00Z') - Date.parse(a + 'T12:00:00Z')) / 86400000); }

  function deltaText(now, before) {
    const x = Number(now) || 0;
    const y = Number(before) || 0;
    if (before === null || before === undefined || before === '') return '';
    if (y === 0) return x === 0 ? '0.0 %' : 'new';
    const d = ((x - y) / Math.abs(y)) * 100;
    return (d > 0 ? '+' : '') + d.toFixed(1) + ' %';
  }

  /**
   * A report builder: date presets in the tenant's time zone, a group and metrics the role may see,
   * a sortable table with names, totals, no all-zero rows, the CSV of exactly what is shown, a chart
   * of one metric over time; comparison with the previous period of the same length (each metric's
   * previous figure and change, and the previous period's line in the chart); drill-down (a row's
   * values become filters and the report groups by the next dimension); saved reports (kept on the
   * server for the key's principal, shareable with the tenant's staff).
   */
  function reportView(target, opts) {
    const o = Object.assign({ id: 'report', groups: ['day'], metrics: ['clicks', 'conversions', 'revenue', 'payout', 'profit'], saved: false }, opts || {});
    const p = presets();
    const preset = select(Object.entries(p).map(([k, v]) => [k, v[0]]).concat([['custom', 'Custom']]), 'last30', { id: o.id + '-preset' });
    const from = input({ type: 'date', id: o.id + '-from', value: p.last30[1] });
    const to = input({ type: 'date', id: o.id + '-to', value: addDays(p.last30[2], -1) });
    const dims = ['day', 'week', 'month', 'offer', 'advertiser', 'affiliate', 'link', 'goal', 'country', 'device_class', 'sub1', 'sub2', 'sub3', 'source']
      .filter((d) => S.fields.dimensions.includes(d));
    const group = select(dims.map((d) => [d, d.replace('_', ' ')]), o.groups[0], { id: o.id + '-group' });
    const group2 = select([['', '(none)']].concat(dims.map((d) => [d, d.replace('_', ' ')])), o.groups[1] || '', { id: o.id + '-group2' });
    const compare = el('input', { type: 'checkbox', id: o.id + '-compare' });
    const metricBoxes = el('div', { class: 'checks', role: 'group', 'aria-label': 'Metrics' });
    ['clicks', 'unique_clicks', 'conversions', 'conversions_approved', 'conversions_pending', 'conversions_rejected',
      'conversions_reversed', 'cr', 'revenue', 'payout', 'profit', 'epc'].filter((m) => S.fields.metrics.includes(m)).forEach((m) => {
      metricBoxes.append(el('label', {}, el('input', { type: 'checkbox', name: 'metric', value: m, checked: o.metrics.includes(m) }), m.replace(/_/g, ' ')));
    });
    const run = el('button', { type: 'submit', class: 'primary', id: o.id + '-run' }, 'Run report');
    const csvBtn = el('button', { type: 'button', id: o.id + '-csv' }, 'Download CSV');
    const status = el('span', { id: o.id + '-status', class: 'muted', 'aria-live': 'polite' });
    const error = el('p', { class: 'error', role: 'alert', id: o.id + '-error' });
    const crumbs = el('div', { class: 'toolbar crumbs', id: o.id + '-filters', 'aria-label': 'Drill-down filters', role: 'group' });
    const chartMetric = select([], '', { id: o.id + '-chart-metric' });
    const chartBox = el('div', { id: 'chart-box', role: 'img', 'aria-label': 'chart' });
    const tableBox = el('div', { id: o.id + '-table', class: 'table-wrap' });
    const form = el('form', { class: 'toolbar', id: o.id + '-form' },
      el('label', { for: preset.id }, 'Period', preset), el('label', { for: from.id }, 'From', from), el('label', { for: to.id }, 'To (inclusive)', to),
      el('label', { for: group.id }, 'Group by', group), el('label', { for: group2.id }, 'then by', group2),
      el('label', { for: compare.id, class: 'inline' }, compare, 'Compare with previous period'), run, csvBtn, status);
    const savedBox = el('div', { class: 'toolbar', id: o.id + '-saved-box', role: 'group', 'aria-label': 'Saved reports' });
    target.append(...[form, el('fieldset', {}, el('legend', {}, 'Metrics'), metricBoxes), o.saved ? savedBox : null, crumbs, error,
      el('div', { class: 'toolbar' }, el('label', { for: chartMetric.id }, 'Chart metric', chartMetric)), chartBox, tableBox].filter(Boolean));
    preset.addEventListener('change', () => {
      const v = presets()[preset.value];
      if (v) { from.value = v[1]; to.value = addDays(v[2], -1); }
    });
    [from, to].forEach((i) => i.addEventListener('change', () => { preset.value = 'custom'; }));
    let shown = null;
    let sort = null;
    let filters = {}; // dimension → value, from drill-downs (and saved reports)

    function previousRange() {
      const len = daysBetween(from.value, to.value) + 1;
      return { from: addDays(from.value, -len), to: addDays(from.value, -1), len };
    }

    function params(groups, metrics, range) {
      const q = new URLSearchParams();
      q.set('metrics', metrics.join(','));
      if (groups.length) q.set('groupBy', groups.join(','));
      q.set('from', (range || from).value || range.from);
      q.set('to', addDays(range ? range.to : to.value, 1));
      Object.entries(filters).forEach(([d, v]) => {
        if (!TIME_DIMS.includes(d)) q.set('filter.' + d, v);
      });
      q.set('pageSize', '1000');
      return q;
    }

    function renderCrumbs() {
      const entries = Object.entries(filters);
      crumbs.replaceChildren(...(entries.length ? [el('span', { class: 'muted' }, 'Filtered by')] : []), ...entries.map(([d, v]) => el('span', { class: 'badge', 'data-filter': d },
        d.replace('_', ' ') + ': ' + cellText(d, v) + ' ', el('button', { type: 'button', class: 'link', 'aria-label': 'Remove filter ' + d, onclick: () => {
          delete filters[d];
          runReport();
        } }, '×'))));
    }

    /** A row's group values become filters (a day becomes the period) and the report groups by what comes next. */
    function drill(row) {
      const groups = shown.cols.filter((c) => c.dim);
      groups.forEach((c, idx) => {
        const v = row[shown.cols.indexOf(c)];
        if (c.key === 'day') { from.value = v; to.value = v; preset.value = 'custom'; } else filters[c.key] = v;
        if (idx === 0) { /* nothing */ }
      });
      // An affiliate's (an advertiser's) own dimension says nothing to it: the drill goes past it.
      const self = S.me.role === 'AFFILIATE' ? 'affiliate' : S.me.role === 'ADVERTISER' ? 'advertiser' : null;
      let next = DRILL[groups[groups.length - 1].key];
      while (next && (!dims.includes(next) || filters[next] !== undefined || next === self)) next = DRILL[next];
      group.value = next || groups[groups.length - 1].key;
      group2.value = '';
      sort = null;
      return runReport();
    }

    function drillable(c) { return c.dim && c.key !== 'week' && c.key !== 'month' && DRILL[c.key] !== undefined; }

    function render() {
      const { cols, rows, totals } = shown;
      let data = rows;
      if (sort) {
        const c = cols[sort.idx];
        data = rows.slice().sort((a, b) => {
          const x = c.num ? Number(String(a[sort.idx]).replace(/[^0-9.\-]/g, '')) || 0 : String(cellText(c.key, a[sort.idx])).toLowerCase();
          const y = c.num ? Number(String(b[sort.idx]).replace(/[^0-9.\-]/g, '')) || 0 : String(cellText(c.key, b[sort.idx])).toLowerCase();
          return (x < y ? -1 : x > y ? 1 : 0) * (sort.desc ? -1 : 1);
        });
      }
      shown.sorted = data;
      const table = el('table', { 'data-rows': data.length });
      const head = el('tr');
      cols.forEach((c, idx) => head.append(el('th', { scope: 'col', class: c.num ? 'num' : null,
        'aria-sort': sort && sort.idx === idx ? (sort.desc ? 'descending' : 'ascending') : null },
      el('button', { type: 'button', class: 'sort', 'data-sort': c.key, onclick: () => {
        sort = sort && sort.idx === idx ? { idx, desc: !sort.desc } : { idx, desc: !!c.num };
        render();
      } }, c.label + (sort && sort.idx === idx ? (sort.desc ? ' ▼' : ' ▲') : '')))));
      table.append(el('thead', {}, head));
      const body = el('tbody');
      const lastDim = cols.filter((c) => c.dim).slice(-1)[0];
      data.forEach((r) => {
        const tr = el('tr');
        cols.forEach((c, idx) => {
          let content = cell(c.key, r[idx]);
          if (c === lastDim && drillable(c) && r[idx] !== null && r[idx] !== '') {
            content = el('button', { type: 'button', class: 'link drill', 'data-drill': r[idx], title: 'Drill down: filter by this and group by the next level',
              onclick: () => drill(r).catch((err) => { error.textContent = err.message; }) }, cellText(c.key, r[idx]));
          }
          if (c.derived === 'delta') content = el('span', { class: String(r[idx]).startsWith('-') ? 'down' : String(r[idx]).startsWith('+') ? 'up' : null }, r[idx]);
          tr.append(el('td', { class: c.num ? 'num' : null }, content));
        });
        body.append(tr);
      });
      if (!data.length) body.append(el('tr', {}, el('td', { colspan: cols.length, class: 'muted' }, 'No traffic in this period.')));
      table.append(body);
      const foot = el('tr', { class: 'totals' });
      totals.forEach((v, idx) => foot.append(el('td', { class: cols[idx] && cols[idx].num ? 'num' : null }, v)));
      table.append(el('tfoot', {}, foot));
      tableBox.replaceChildren(table);
    }

    async function chart() {
      const metric = chartMetric.value;
      if (!metric) return;
      const t = await get('/api/v1/reports?' + params(['day'], [metric]));
      const col = shownColumns(t, ['day']).find((c) => c.metric === metric);
      const byDay = Object.fromEntries(t.rows.map((r) => [r[0], Number(r[col.i]) || 0]));
      const days = [];
      for (let d = from.value; d <= to.value && days.length < 400; d = addDays(d, 1)) days.push(d);
      const xs = days.map((d) => Date.parse(d + 'T00:00:00Z') / 1000);
      const ys = days.map((d) => byDay[d] || 0);
      const series = [{}, { label: col.label, stroke: '#1d4ed8', width: 2, fill: 'rgba(29,78,216,.08)' }];
      const data = [xs, ys];
      chartBox.replaceChildren();
      chartBox.dataset.metric = metric;
      chartBox.dataset.points = ys.join(',');
      let label = col.label + ' per day from ' + from.value + ' to ' + to.value + ', total ' + ys.reduce((a, b) => a + b, 0);
      if (compare.checked) {
        const prev = previousRange();
        const pt = await get('/api/v1/reports?' + params(['day'], [metric], prev));
        const pcol = shownColumns(pt, ['day']).find((c) => c.metric === metric);
        const prevByDay = Object.fromEntries(pt.rows.map((r) => [r[0], Number(r[pcol.i]) || 0]));
        const prevYs = days.map((d) => prevByDay[addDays(d, -prev.len)] || 0);
        series.push({ label: col.label + ' (previous period)', stroke: '#6b7280', width: 1.5, dash: [6, 4] });
        data.push(prevYs);
        chartBox.dataset.previous = prevYs.join(',');
        label += '; previous period total ' + prevYs.reduce((a, b) => a + b, 0);
      } else {
        delete chartBox.dataset.previous;
      }
      chartBox.setAttribute('aria-label', label);
      const width = Math.max(280, Math.min(chartBox.clientWidth || 900, 1100));
      if (window.uPlot) {
        // eslint-disable-next-line no-new
        new window.uPlot({ width, height: 220, tzDate: (ts) => window.uPlot.tzDate(new Date(ts * 1e3), 'UTC'),
          scales: { x: { time: true } }, series, axes: [{}, { size: 60 }] }, data, chartBox);
      }
    }

    /** The rows of one period keyed by their group values (a day shifted by {@code shift} days to meet the current period's). */
    function keyed(cols, rows, shift) {
      const out = new Map();
      rows.forEach((r) => out.set(cols.map((c, idx) => (!c.dim ? null : c.key === 'day' && shift ? addDays(r[idx], shift) : r[idx]))
        .filter((v, idx) => cols[idx].dim).join('\u0001'), r));
      return out;
    }

    async function runReport(e) {
      if (e) e.preventDefault();
      error.textContent = '';
      renderCrumbs();
      const groups = [group.value, group2.value].filter((g, i, a) => g && a.indexOf(g) === i);
      const metrics = [...metricBoxes.querySelectorAll('input:checked')].map((i) => i.value);
      if (!metrics.length) { error.textContent = 'Choose at least one metric.'; return; }
      try {
        const t = await get('/api/v1/reports?' + params(groups, metrics));
        const cols = shownColumns(t, groups);
        const pick = (table) => table.rows.map((r) => cols.map((c) => r[c.i]));
        // A row whose every figure is zero (or empty) says nothing: the report leaves it out.
        const nonZero = (r) => cols.some((c, idx) => !c.dim && r[idx] !== null && Number(r[idx]) !== 0);
        let rows = pick(t).filter(nonZero);
        let outCols = cols;
        let totals = totalsOf(cols, rows);
        if (compare.checked) {
          const prev = previousRange();
          const pt = await get('/api/v1/reports?' + params(groups, metrics, prev));
          const prevRows = pick(pt).filter(nonZero);
          const weekOrMonth = groups.some((g) => g === 'week' || g === 'month');
          const prevByKey = weekOrMonth ? new Map() : keyed(cols, prevRows, prev.len);
          const nowByKey = keyed(cols, rows, 0);
          // What sold before and nothing now is a row too (its figures 0 now).
          prevByKey.forEach((r, k) => {
            if (!nowByKey.has(k)) {
              const zero = cols.map((c, idx) => (c.dim ? (c.key === 'day' ? addDays(r[idx], prev.len) : r[idx]) : (c.metric === 'cr' || c.metric === 'epc' ? null : '0')));
              rows.push(zero);
              nowByKey.set(k, zero);
            }
          });
          outCols = [];
          cols.forEach((c) => {
            outCols.push(c);
            if (!c.dim) {
              outCols.push({ key: c.key + '_previous', metric: c.metric, label: c.label + ' previous', num: true, derived: 'previous' });
              outCols.push({ key: c.key + '_change', metric: c.metric, label: c.label + ' Δ', num: true, derived: 'delta' });
            }
          });
          const expand = (r, before) => cols.flatMap((c, idx) => (c.dim ? [r[idx]]
            : [r[idx], before ? before[idx] : (weekOrMonth ? '' : null), before ? deltaText(r[idx], before[idx]) : '']));
          const prevTotals = totalsOf(cols, prevRows);
          rows = rows.map((r) => {
            const k = cols.map((c, idx) => r[idx]).filter((v, idx) => cols[idx].dim).join('\u0001');
            return expand(r, prevByKey.get(k) || (weekOrMonth ? null : cols.map((c) => (c.dim ? null : (c.metric === 'cr' || c.metric === 'epc' ? null : '0')))));
          });
          totals = cols.flatMap((c, idx) => (c.dim ? [totals[idx]] : [totals[idx], prevTotals[idx], deltaText(totals[idx], prevTotals[idx])]));
        }
        shown = { cols: outCols, rows, totals };
        render();
        const previous = chartMetric.value;
        chartMetric.replaceChildren(...cols.filter((c) => !c.dim).map((c) => el('option', { value: c.metric, selected: c.metric === previous }, c.label)));
        status.textContent = rows.length + ' rows' + (compare.checked ? ' · compared with ' + previousRange().from + ' – ' + previousRange().to : '');
        await chart();
      } catch (err) {
        error.textContent = err.message;
      }
    }

    csvBtn.addEventListener('click', () => {
      if (!shown) return;
      const lines = [shown.cols.map((c) => c.label)]
        .concat((shown.sorted || shown.rows).map((r) => shown.cols.map((c, idx) => cellText(c.key, r[idx]))))
        .concat([shown.totals]);
      const csv = csvOf(lines);
      status.dataset.csv = csv;
      status.textContent = 'CSV of ' + (lines.length - 2) + ' rows and the totals';
      download('affnet-report-' + from.value + '-' + to.value + '.csv', csv, 'text/csv');
    });
    chartMetric.addEventListener('change', () => chart().catch((err) => { error.textContent = err.message; }));
    compare.addEventListener('change', () => runReport());
    form.addEventListener('submit', runReport);

    // ---- saved reports
    function definition() {
      return { preset: preset.value, from: preset.value === 'custom' ? from.value : null, to: preset.value === 'custom' ? to.value : null,
        groups: [group.value, group2.value].filter(Boolean), metrics: [...metricBoxes.querySelectorAll('input:checked')].map((i) => i.value),
        filters: Object.assign({}, filters), compare: compare.checked, chartMetric: chartMetric.value || null };
    }
    function apply(d) {
      if (d.preset && d.preset !== 'custom' && presets()[d.preset]) {
        const v = presets()[d.preset];
        preset.value = d.preset; from.value = v[1]; to.value = addDays(v[2], -1);
      } else if (d.from && d.to) { preset.value = 'custom'; from.value = d.from; to.value = d.to; }
      const g = (d.groups || []).filter((x) => dims.includes(x));
      if (g[0]) group.value = g[0];
      group2.value = g[1] || '';
      metricBoxes.querySelectorAll('input').forEach((i) => { i.checked = (d.metrics || []).includes(i.value); });
      filters = {};
      Object.entries(d.filters || {}).forEach(([k, v]) => { if (dims.includes(k)) filters[k] = v; });
      compare.checked = !!d.compare;
      if (d.chartMetric) chartMetric.replaceChildren(el('option', { value: d.chartMetric, selected: true }, d.chartMetric));
      sort = null;
    }
    async function savedReports() {
      const list = el('select', { id: o.id + '-saved' });
      const name = input({ id: o.id + '-save-name', maxlength: 100, placeholder: 'Name' });
      const share = el('input', { type: 'checkbox', id: o.id + '-save-shared' });
      const saveBtn = el('button', { type: 'button', id: o.id + '-save' }, 'Save report');
      const delBtn = el('button', { type: 'button', class: 'danger', id: o.id + '-saved-delete' }, 'Delete');
      const msg = el('span', { class: 'muted', id: o.id + '-saved-status', 'aria-live': 'polite' });
      let items = [];
      async function load(selectId) {
        items = (await get('/api/v1/saved-reports')).items;
        list.replaceChildren(el('option', { value: '' }, items.length ? 'Open a saved report…' : 'No saved reports yet'),
          ...items.map((r) => el('option', { value: r.id, selected: r.id === selectId }, r.name + (r.shared ? ' (shared)' : '') + (r.mine ? '' : ' · by a colleague'))));
        const chosen = items.find((r) => r.id === list.value);
        delBtn.disabled = !chosen || !chosen.deletable;
      }
      list.addEventListener('change', () => {
        const r = items.find((x) => x.id === list.value);
        delBtn.disabled = !r || !r.deletable;
        if (!r) return;
        apply(r.definition);
        msg.textContent = 'Opened ' + r.name + '.';
        runReport();
      });
      saveBtn.addEventListener('click', async () => {
        name.removeAttribute('aria-invalid');
        try {
          const r = await api('POST', '/api/v1/saved-reports', { name: name.value.trim(), definition: definition(), shared: share.checked });
          msg.textContent = 'Saved ' + r.name + '.';
          name.value = '';
          await load(r.id);
        } catch (err) {
          msg.textContent = err.message;
          if ((err.problem.errors || []).some((x) => x.field === 'name')) { name.setAttribute('aria-invalid', 'true'); name.focus(); }
        }
      });
      delBtn.addEventListener('click', async () => {
        const r = items.find((x) => x.id === list.value);
        if (!r) return;
        try {
          await api('DELETE', '/api/v1/saved-reports/' + encodeURIComponent(r.id));
          msg.textContent = 'Deleted ' + r.name + '.';
          await load();
        } catch (err) { msg.textContent = err.message; }
      });
      savedBox.replaceChildren(...[el('label', { for: list.id }, 'Saved reports', list), delBtn,
        el('label', { for: name.id }, 'Save this report as', name),
        isStaff() ? el('label', { for: share.id, class: 'inline' }, share, 'Share with the team') : null, saveBtn, msg].filter(Boolean));
      await load();
    }
    return (o.saved ? savedReports().catch((err) => { savedBox.replaceChildren(el('p', { class: 'error' }, err.message)); }) : Promise.resolve())
      .then(() => runReport());
  }

  // ------------------------------------------------------------------ overview (every role)

  async function overview(view) {
    view.append(el('h1', {}, 'Overview'), el('p', { class: 'muted' }, 'Times in ' + S.me.timezone + ', money in ' + S.me.currency + ' (converted).'));
    const cards = el('div', { class: 'cards', id: 'overview' });
    view.append(cards);
    const wanted = ['clicks', 'conversions', 'revenue', 'payout', 'profit'].filter((m) => S.fields.metrics.includes(m));
    const p = presets();
    for (const [id, range] of [['today', p.today], ['yesterday', p.yesterday], ['last7', p.last7], ['last30', p.last30]]) {
      const t = await get('/api/v1/reports?metrics=' + wanted.join(',') + '&from=' + range[1] + '&to=' + range[2]);
      const cols = shownColumns(t, []);
      const r = t.rows[0] || [];
      const dl = el('dl');
      cols.forEach((c) => {
        dl.append(el('dt', {}, c.label), el('dd', { 'data-metric': c.metric }, r[c.i] === null || r[c.i] === undefined ? '0' : String(r[c.i])));
      });
      cards.append(el('div', { class: 'card', 'data-range': id }, el('h3', {}, range[0]), dl));
    }
    view.append(el('p', { class: 'muted', id: 'live-state', 'aria-live': 'polite' }, 'Today: connecting to live figures…'));
    liveToday(cards.querySelector('[data-range=today]'));
    view.append(el('h2', {}, 'Last 30 days'));
    await reportView(view, { id: 'ov', groups: ['day'], metrics: wanted });
  }

  /**
   * Today's card lives on the GraphQL subscription todayCounters (GraphQL over SSE: a POST with
   * Accept: text/event-stream and the key as usual), which pushes the counters when they change;
   * leaving the page aborts it.
   */
  async function liveToday(card) {
    if (S.live) S.live.abort();
    const control = new AbortController();
    S.live = control;
    const state = () => $('live-state');
    try {
      const response = await fetch('/graphql', { method: 'POST', signal: control.signal, headers: { 'Authorization': 'Bearer ' + key(),
        'Content-Type': 'application/json', 'Accept': 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { todayCounters { day clicks conversions revenue payout profit currency } }' }) });
      if (!response.ok || !response.body) throw new Error('HTTP ' + response.status);
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5)).join('\n').trim();
          if (!data) continue;
          const message = JSON.parse(data);
          if (message.errors && message.errors.length) throw new Error(message.errors[0].message);
          const c = message.data && message.data.todayCounters;
          if (!c) continue;
          ['clicks', 'conversions', 'revenue', 'payout', 'profit'].forEach((m) => {
            const dd = card.querySelector('dd[data-metric=' + m + ']');
            if (dd && c[m] !== null && c[m] !== undefined) dd.textContent = String(c[m]);
          });
          card.dataset.live = 'on';
          if (state()) state().textContent = 'Today: live (updated ' + new Date().toLocaleTimeString() + ').';
        }
      }
    } catch (e) {
      if (control.signal.aborted) return;
      if (state()) state().textContent = 'Today: live figures unavailable (' + e.message + '); reload for the latest.';
    }
  }

  // ------------------------------------------------------------------ conversions log

  async function conversionsPage(view) {
    view.append(el('h1', {}, S.me.role === 'AFFILIATE' || S.me.role === 'ADVERTISER' ? 'My conversions' : 'Conversions'));
    const cols = ['time', 'status', 'offer', 'affiliate', 'advertiser', 'goal', 'transaction_id', 'payout', 'revenue', 'currency',
      'country', 'sub1', 'rejection_reason', 'click_id'].filter((c) => S.fields.conversionLog.includes(c));
    const status = select([['', 'any'], ['APPROVED', 'approved'], ['PENDING', 'pending'], ['REJECTED', 'rejected'], ['REVERSED', 'reversed']], '', { id: 'log-status' });
    const search = input({ id: 'log-click', placeholder: 'click id' });
    const box = el('div', { id: 'log-table', class: 'table-wrap' });
    const more = el('button', { type: 'button', hidden: true }, 'More');
    const form = el('form', { class: 'toolbar' }, el('label', { for: status.id }, 'Status', status),
      S.fields.conversionLog.includes('click_id') ? el('label', { for: search.id }, 'Click id', search) : null,
      el('button', { type: 'submit', class: 'primary' }, 'Search'));
    view.append(form, box, more);
    let cursor = null;
    let tbody = null;
    async function load(append) {
      const q = new URLSearchParams({ pageSize: '50' });
      if (status.value) q.set('filter.status', status.value);
      if (search.value.trim()) q.set('filter.click_id', search.value.trim());
      if (append && cursor) q.set('cursor', cursor);
      const page = await get('/api/v1/reports/conversions?' + q);
      if (!append) {
        const table = el('table', {}, el('thead', {}, el('tr', {}, cols.map((c) => el('th', { scope: 'col' }, c.replace('_', ' '))))));
        tbody = el('tbody');
        table.append(tbody);
        box.replaceChildren(table);
      }
      page.items.forEach((i) => tbody.append(el('tr', {}, cols.map((c) => el('td', { class: ['payout', 'revenue'].includes(c) ? 'num' : null }, cell(c, i[c]))))));
      if (!append && !page.items.length) tbody.append(el('tr', {}, el('td', { colspan: cols.length, class: 'muted' }, 'No conversions.')));
      cursor = page.next;
      more.hidden = !cursor;
    }
    form.addEventListener('submit', (e) => { e.preventDefault(); load(false); });
    more.addEventListener('click', () => load(true));
    await load(false);
  }

  // ------------------------------------------------------------------ console: advertisers

  async function advertisersPage(view) {
    view.append(el('h1', {}, 'Advertisers'), canEdit() ? el('a', { class: 'button', href: '#/advertisers/new', id: 'new-advertiser' }, 'New advertiser') : null);
    const items = await all('advertisers');
    const offers = Object.values(S.dir.offers);
    dataTable(view, [
      { key: 'name', label: 'Name', render: (r) => el('a', { href: '#/advertisers/' + r.id, title: r.id }, r.name), text: (r) => r.name },
      { key: 'defaultCurrency', label: 'Currency' },
      { key: 'offers', label: 'Offers', num: true, value: (r) => offers.filter((x) => x.advertiserId === r.id).length,
        render: (r) => String(offers.filter((x) => x.advertiserId === r.id).length), text: () => '' },
    ], items, { id: 'advertisers' });
  }

  async function advertiserForm(view, id) {
    const a = id ? await get('/api/v1/advertisers/' + id) : { name: '', defaultCurrency: S.me.currency, postbackIpAllowlist: [] };
    const name = input({ value: a.name, required: true, maxlength: 200 });
    const cur = input({ value: a.defaultCurrency, maxlength: 3, pattern: '[A-Z]{3}', autocapitalize: 'characters' });
    const ips = input({ value: (a.postbackIpAllowlist || []).join(', ') });
    view.append(formShell('advertiser-form', id ? 'Advertiser ' + a.name : 'New advertiser', [
      id ? el('p', { class: 'muted wide' }, 'id ' + id + ' · version ' + a.version) : null,
      field('Name', 'name', name), field('Default currency', 'defaultCurrency', cur),
      field('Postback IP allow-list', 'postbackIpAllowlist', ips, 'Addresses or CIDR ranges, comma separated; empty = any'),
    ], async () => {
      const body = { name: name.value.trim(), defaultCurrency: cur.value.trim().toUpperCase(), postbackIpAllowlist: csvList(ips.value) };
      if (id) await api('PUT', '/api/v1/advertisers/' + id, body); else await api('POST', '/api/v1/advertisers', body);
      await refreshDirectory();
      location.hash = '#/advertisers';
    }));
  }

  // ------------------------------------------------------------------ console: offers

  function amountText(a) {
    if (!a) return '';
    return a.percent !== undefined ? a.percent + ' %' : a.amount + ' ' + (a.currency || '');
  }

  async function offersPage(view) {
    view.append(el('h1', {}, 'Offers'), canEdit() ? el('a', { class: 'button', href: '#/offers/new', id: 'new-offer' }, 'New offer') : null);
    const items = await all('offers');
    dataTable(view, [
      { key: 'name', label: 'Name', render: (r) => el('a', { href: '#/offers/' + r.id, title: r.id }, r.name), text: (r) => r.name },
      { key: 'advertiserId', label: 'Advertiser', render: (r) => cell('advertiser', r.advertiserId), text: (r) => nameOf('advertisers', r.advertiserId) },
      { key: 'status', label: 'Status' },
      { key: 'currency', label: 'Currency' },
      { key: 'goals', label: 'Goals (revenue → payout)', sortable: false,
        text: (r) => (r.goals || []).map((g) => g.name + ' ' + amountText(g.revenue) + ' → ' + amountText(g.payout)).join('; ') },
    ], items, { id: 'offers' });
  }

  function goalRow(g, idx) {
    const kindSel = (a) => select([['amount', 'fixed'], ['percent', '% of sale']], a && a.percent !== undefined ? 'percent' : 'amount');
    const rk = kindSel(g.revenue);
    const pk = kindSel(g.payout);
    const rv = input({ value: g.revenue ? (g.revenue.percent !== undefined ? g.revenue.percent : g.revenue.amount) : '', inputmode: 'decimal', size: 8 });
    const pv = input({ value: g.payout ? (g.payout.percent !== undefined ? g.payout.percent : g.payout.amount) : '', inputmode: 'decimal', size: 8 });
    const n = input({ value: g.name || '', size: 10 });
    const row = el('div', { class: 'goal-row', 'data-goal': idx },
      field('Goal', 'goals[' + idx + '].name', n),
      field('Revenue', 'goals[' + idx + '].revenue', rv), el('label', {}, 'kind', rk),
      field('Payout', 'goals[' + idx + '].payout', pv), el('label', {}, 'kind', pk),
      el('button', { type: 'button', class: 'danger', 'aria-label': 'Remove goal', onclick: () => row.remove() }, '✕'));
    row.read = (currency) => {
      const amount = (kind, value) => (kind.value === 'percent' ? { percent: value.value.trim() } : { amount: value.value.trim(), currency });
      return { name: n.value.trim(), revenue: amount(rk, rv), payout: amount(pk, pv) };
    };
    return row;
  }

  async function offerForm(view, id) {
    const o = id ? await get('/api/v1/offers/' + id) : { name: '', advertiserId: Object.keys(S.dir.advertisers)[0] || '', destinationUrl: '',
      currency: S.me.currency, status: 'ACTIVE', goals: [{ name: 'sale', revenue: { amount: '' }, payout: { amount: '' } }], attributionWindowSeconds: 2592000 };
    const name = input({ value: o.name, maxlength: 200 });
    const adv = select(Object.entries(S.dir.advertisers).map(([k, v]) => [k, v.name]), o.advertiserId);
    const url = input({ value: o.destinationUrl, type: 'url', 'data-wide': '1' });
    const cur = input({ value: o.currency, maxlength: 3 });
    const status = select([['ACTIVE', 'active'], ['PAUSED', 'paused']], o.status);
    const windowDays = input({ type: 'number', min: '0', step: 'any', value: String((o.attributionWindowSeconds || 2592000) / 86400) });
    const caps = o.caps || {};
    const capInputs = ['daily', 'monthly', 'lifetime', 'perAffiliateDaily', 'perAffiliateMonthly', 'perAffiliateLifetime']
      .map((k) => [k, input({ type: 'number', min: '0', value: caps[k] === undefined || caps[k] === null ? '' : String(caps[k]) })]);
    const countries = input({ value: (o.allowedCountries || []).join(', ') });
    const devices = input({ value: (o.allowedDeviceClasses || []).join(', ') });
    const fallback = input({ value: o.fallbackUrl || '', type: 'url' });
    const dc = select([['ALLOW', 'allow'], ['FLAG', 'flag'], ['REFUSE', 'refuse']], o.datacenterTraffic || 'ALLOW');
    const goals = el('div', { id: 'goals' });
    let count = 0;
    (o.goals || []).forEach((g) => goals.append(goalRow(g, count++)));
    const addGoal = el('button', { type: 'button', onclick: () => goals.append(goalRow({}, count++)) }, 'Add goal');
    view.append(formShell('offer-form', id ? 'Offer ' + o.name : 'New offer', [
      id ? el('p', { class: 'muted wide' }, 'id ' + id + ' · version ' + o.version) : null,
      field('Name', 'name', name), field('Advertiser', 'advertiserId', adv), field('Status', 'status', status),
      field('Currency', 'currency', cur, 'ISO 4217, e.g. EUR or USD'),
      field('Destination URL', 'destinationUrl', url, 'Macros: {click_id} {affiliate_id} {offer_id} {sub1}…{sub10} {source}'),
      el('fieldset', {}, el('legend', {}, 'Goals: revenue (what the advertiser pays) and payout (what the affiliate earns)'),
        el('span', { class: 'field-error', 'data-error-for': 'goals' }), goals, addGoal),
      field('Attribution window (days)', 'attributionWindowSeconds', windowDays),
      el('fieldset', {}, el('legend', {}, 'Conversion caps (empty = none)'), el('span', { class: 'field-error', 'data-error-for': 'caps' }),
        el('div', { class: 'checks' }, capInputs.map(([k, i]) => field(k.replace(/([A-Z])/g, ' $1').toLowerCase(), 'caps.' + k, i)))),
      field('Allowed countries', 'allowedCountries', countries, 'ISO codes, comma separated; empty = everywhere'),
      field('Allowed device classes', 'allowedDeviceClasses', devices, 'desktop, phone, tablet…; empty = all'),
      field('Fallback URL', 'fallbackUrl', fallback), field('Data-centre traffic', 'datacenterTraffic', dc),
    ], async () => {
      const currency = cur.value.trim().toUpperCase();
      const capBody = {};
      capInputs.forEach(([k, i]) => { if (i.value !== '') capBody[k] = Number(i.value); });
      const body = { name: name.value.trim(), advertiserId: adv.value, destinationUrl: url.value.trim(), currency, status: status.value,
        goals: [...goals.children].map((r) => r.read(currency)),
        attributionWindowSeconds: windowDays.value === '' ? null : Math.round(Number(windowDays.value) * 86400),
        caps: Object.keys(capBody).length ? capBody : null, allowedCountries: csvList(countries.value).map((c) => c.toUpperCase()),
        allowedDeviceClasses: csvList(devices.value), fallbackUrl: fallback.value.trim() || null, datacenterTraffic: dc.value };
      if (id) await api('PUT', '/api/v1/offers/' + id, body); else await api('POST', '/api/v1/offers', body);
      await refreshDirectory();
      location.hash = '#/offers';
    }));
    if (id) {
      const px = o.pixel || {};
      const enabled = el('input', { type: 'checkbox', checked: !!px.enabled });
      const domains = input({ value: (px.allowedReferrerDomains || []).join(', ') });
      const max = input({ value: px.maxAmount || '', inputmode: 'decimal' });
      view.append(formShell('pixel-form', 'Pixel settings', [
        field('Pixel conversions on', 'enabled', enabled), field('Allowed referrer domains', 'allowedReferrerDomains', domains),
        field('Highest pixel amount', 'maxAmount', max, 'In ' + o.currency + '; empty = the goal amounts apply'),
        el('p', { class: 'muted wide' }, 'Pixel: <img src="' + location.origin + '/p?offer_id=' + id + '&goal=sale" width="1" height="1">'),
      ], async (form) => {
        await api('PUT', '/api/v1/offers/' + id + '/pixel', { enabled: enabled.checked, allowedReferrerDomains: csvList(domains.value), maxAmount: max.value.trim() || null });
        form.querySelector('.form-alert').textContent = 'Saved.';
      }, 'Save pixel settings'));
    }
  }

  // ------------------------------------------------------------------ console: affiliates

  async function affiliatesPage(view) {
    view.append(el('h1', {}, 'Affiliates'), canEdit() ? el('a', { class: 'button', href: '#/affiliates/new', id: 'new-affiliate' }, 'New affiliate') : null);
    const items = await all('affiliates');
    const links = Object.values(S.dir.links);
    dataTable(view, [
      { key: 'name', label: 'Name', render: (r) => el('a', { href: '#/affiliates/' + r.id, title: r.id }, r.name), text: (r) => r.name },
      { key: 'email', label: 'Email' },
      { key: 'status', label: 'Status' },
      { key: 'links', label: 'Links', num: true, value: (r) => links.filter((l) => l.affiliateId === r.id).length,
        render: (r) => String(links.filter((l) => l.affiliateId === r.id).length), text: () => '' },
    ], items, { id: 'affiliates' });
  }

  async function affiliateForm(view, id) {
    const a = id ? await get('/api/v1/affiliates/' + id) : { name: '', email: '', status: 'ACTIVE', payoutOverrides: [] };
    const name = input({ value: a.name, maxlength: 200 });
    const email = input({ value: a.email, type: 'email' });
    const status = select([['ACTIVE', 'active'], ['SUSPENDED', 'suspended']], a.status);
    view.append(formShell('affiliate-form', id ? 'Affiliate ' + a.name : 'New affiliate', [
      id ? el('p', { class: 'muted wide' }, 'id ' + id + ' · version ' + a.version) : null,
      field('Name', 'name', name), field('Email', 'email', email), field('Status', 'status', status),
      (a.payoutOverrides || []).length ? el('p', { class: 'wide muted' }, 'Payout overrides: ' + a.payoutOverrides.map((p) => nameOf('offers', p.offerId) + ' ' + p.goal + ' → ' + amountText(p.payout)).join('; ')) : null,
    ], async () => {
      const body = { name: name.value.trim(), email: email.value.trim(), status: status.value, payoutOverrides: a.payoutOverrides || [] };
      if (id) await api('PUT', '/api/v1/affiliates/' + id, body); else await api('POST', '/api/v1/affiliates', body);
      await refreshDirectory();
      location.hash = '#/affiliates';
    }));
    if (id) await postbackSection(view, id, canEdit());
  }

  /** An affiliate's postback templates (with a macro list), test-fire and delivery log; read-only for the affiliate itself. */
  async function postbackSection(view, affiliateId, editable) {
    view.append(el('h2', {}, 'Postback'));
    let endpoint = null;
    try { endpoint = await get('/api/v1/affiliates/' + affiliateId + '/postback'); } catch (e) { if (e.status !== 404) throw e; }
    const templates = (endpoint && endpoint.templates) || [];
    const url = input({ value: templates.length ? templates[0].url : '', type: 'url', 'data-wide': '1', readonly: !editable });
    const method = select([['GET', 'GET'], ['POST', 'POST']], templates.length && templates[0].method ? templates[0].method : 'GET', { disabled: !editable });
    const macros = ['{click_id}', '{conversion_id}', '{offer_id}', '{goal}', '{payout}', '{currency}', '{status}', '{sub1}', '{sub2}', '{source}', '{transaction_id}'];
    const macroBar = el('div', { class: 'checks', role: 'group', 'aria-label': 'Insert a macro' }, macros.map((m) => el('button', { type: 'button', disabled: !editable,
      onclick: () => { const at = url.selectionStart ?? url.value.length; url.value = url.value.slice(0, at) + m + url.value.slice(at); url.focus(); } }, m)));
    const result = el('pre', { id: 'postback-test-result', hidden: true });
    const children = [
      field('Postback URL (every offer and goal)', 'templates', url, templates.length > 1 ? (templates.length - 1) + ' more specific template(s) are kept as they are.' : null),
      field('Method', 'templates[0].method', method), el('div', { class: 'wide' }, el('span', { class: 'muted' }, 'Macros: '), macroBar),
      endpoint ? el('p', { class: 'muted wide' }, 'Signing secret ' + (endpoint.secretPrefix || '') + '… · ' + (endpoint.paused ? 'PAUSED: ' + (endpoint.pauseReason || '') : 'delivering')) : null,
    ];
    const section = formShell('postback-form', '', children, async (form) => {
      const body = { templates: [{ method: method.value, url: url.value.trim() }].concat(templates.slice(1)) };
      const saved = await api('PUT', '/api/v1/affiliates/' + affiliateId + '/postback', body);
      form.querySelector('.form-alert').textContent = 'Saved (version ' + saved.version + ')' + (saved.secret ? '. Signing secret, shown once: ' + saved.secret : '.');
    }, 'Save postback');
    section.querySelector('h1').remove();
    if (editable) {
      section.querySelector('.form-actions').append(el('button', { type: 'button', id: 'postback-test', onclick: async () => {
        result.hidden = false;
        try {
          const r = await api('POST', '/api/v1/affiliates/' + affiliateId + '/postback/test');
          result.textContent = r.sent.method + ' ' + r.sent.url + '\n→ ' + (r.received ? r.received.status + ' in ' + r.received.latencyMs + ' ms\n' + (r.received.body || '') : 'no answer: ' + r.error);
        } catch (e) { result.textContent = e.message; }
      } }, 'Test-fire'));
    } else {
      section.querySelector('.form-actions').remove();
    }
    view.append(section, result);
    view.append(el('h2', {}, 'Delivery log'));
    await deliveryLog(view, affiliateId, editable);
  }

  // ------------------------------------------------------------------ console: links and smart links

  async function linksPage(view) {
    view.append(el('h1', {}, 'Tracking links'), canEdit() ? el('a', { class: 'button', href: '#/links/new', id: 'new-link' }, 'New link or smart link') : null);
    const items = await all('links');
    dataTable(view, [
      { key: 'code', label: 'Code', render: (r) => el('a', { href: '#/links/' + r.id, title: r.id }, r.code), text: (r) => r.code },
      { key: 'affiliateId', label: 'Affiliate', render: (r) => cell('affiliate', r.affiliateId), text: (r) => nameOf('affiliates', r.affiliateId) },
      { key: 'offerIds', label: 'Offers', text: (r) => (r.offerIds || []).map((o) => nameOf('offers', o)).join(', ') },
      { key: 'kind', label: 'Kind', text: (r) => ((r.offerIds || []).length > 1 ? 'smart (' + (r.policy || 'uniform') + ')' : 'link') },
      { key: 'status', label: 'Status' },
      { key: 'clickUrl', label: 'Click URL', sortable: false },
    ], items, { id: 'links' });
  }

  async function linkForm(view, id) {
    const l = id ? await get('/api/v1/links/' + id) : { affiliateId: '', offerIds: [], policy: 'uniform', status: 'ACTIVE' };
    const aff = select([['', 'choose…']].concat(Object.entries(S.dir.affiliates).map(([k, v]) => [k, v.name])), l.affiliateId);
    const offers = el('div', { class: 'checks', role: 'group', 'aria-label': 'Offers' }, Object.entries(S.dir.offers).map(([k, v]) =>
      el('label', {}, el('input', { type: 'checkbox', name: 'offer', value: k, checked: (l.offerIds || []).includes(k) }), v.name + ' (' + v.currency + ')')));
    const policy = select(['uniform', 'weights', 'binom', 'voluum', 'thompson-epc', 'contextual'].map((p) => [p, p]), l.policy || 'uniform');
    const params = input({ value: Object.entries(l.policyParams || {}).map(([k, v]) => k + '=' + v).join(', ') });
    const status = select([['ACTIVE', 'active'], ['DISABLED', 'disabled']], l.status || 'ACTIVE');
    const out = el('div', { class: 'wide', id: 'link-result' });
    view.append(formShell('link-form', id ? 'Link ' + l.code : 'New link', [
      id ? el('p', { class: 'muted wide' }, 'id ' + id + ' · version ' + l.version) : null,
      id ? el('div', { class: 'copy-row wide' }, (() => { const u = input({ value: l.clickUrl, readonly: true, 'aria-label': 'Click URL' }); return [u, copyButton(u)]; })()) : null,
      field('Affiliate', 'affiliateId', aff),
      el('fieldset', {}, el('legend', {}, 'Offers: one for a link, 2 to 20 for a smart link'), el('span', { class: 'field-error', 'data-error-for': 'offerIds' }), offers),
      field('Smart-link policy', 'policy', policy), field('Policy parameters', 'policyParams', params, 'e.g. for weights: offer id=3, other id=1'),
      field('Status', 'status', status), out,
    ], async () => {
      const policyParams = {};
      csvList(params.value).forEach((p) => { const [k, v] = p.split('='); if (k && v !== undefined) policyParams[k.trim()] = v.trim(); });
      const offerIds = [...offers.querySelectorAll('input:checked')].map((i) => i.value);
      const body = { affiliateId: aff.value || null, offerIds, policy: offerIds.length > 1 ? policy.value : null, policyParams, status: status.value };
      if (id) {
        await api('PUT', '/api/v1/links/' + id, body);
        await refreshDirectory();
        location.hash = '#/links';
      } else {
        const issued = await api('POST', '/api/v1/links', body);
        await refreshDirectory();
        const u = input({ value: issued.clickUrl, readonly: true, id: 'new-link-url', 'aria-label': 'Click URL of the new link' });
        out.replaceChildren(el('p', { class: 'ok' }, 'Link created. Hand this URL to the affiliate:'), el('div', { class: 'copy-row' }, u, copyButton(u)));
      }
    }));
    if (id && (l.offerIds || []).length > 1) {
      view.append(el('h2', {}, 'Distribution'));
      try {
        const d = await get('/api/v1/links/' + id + '/distribution');
        view.append(el('pre', { id: 'distribution' }, JSON.stringify(d, (k, v) => (typeof v === 'string' && S.dir.offers[v] ? S.dir.offers[v].name + ' [' + v + ']' : v), 2)));
      } catch (e) { view.append(el('p', { class: 'muted' }, e.message)); }
    }
  }

  // ------------------------------------------------------------------ console: payouts

  function minor(m, currency) {
    const digits = ['JPY', 'KRW'].includes(currency) ? 0 : 2;
    return (Number(m) / Math.pow(10, digits)).toFixed(digits) + ' ' + currency;
  }
  function money(m) { return m ? m.amount + ' ' + m.currency : ''; }

  async function payoutsPage(view) {
    view.append(el('h1', {}, 'Payouts'));
    const today = localDate(0);
    const from = input({ type: 'date', value: addDays(today.slice(0, 8) + '01', -1).slice(0, 8) + '01' });
    const to = input({ type: 'date', value: addDays(today.slice(0, 8) + '01', -1) });
    const out = el('div', { id: 'payout-run' });
    if (canEdit()) {
      view.append(formShell('payout-form', '', [field('Period from', 'from', from), field('to (inclusive)', 'to', to),
        el('p', { class: 'muted wide' }, 'Preview a run: who gets what from their available balance. Nothing is paid until you approve it.')],
      async () => {
        const preview = await api('POST', '/api/v1/payout-runs', { from: from.value, to: to.value });
        await showRun(out, preview.runId);
      }, 'Preview run'));
      view.querySelector('#payout-form').parentElement.querySelector('h1').remove();
    }
    view.append(out, el('h2', {}, 'Runs'));
    const runs = await get('/api/v1/payout-runs');
    dataTable(view, [
      { key: 'createdAt', label: 'Created' }, { key: 'status', label: 'Status' },
      { key: 'periodFrom', label: 'From' }, { key: 'periodTo', label: 'To' },
      { key: 'runId', label: 'Run', render: (r) => el('button', { type: 'button', onclick: () => showRun(out, r.runId) }, 'Open'), text: (r) => r.runId },
    ], runs, { id: 'runs', search: false });
  }

  const FINAL_PAYOUT_STATES = ['PAID', 'FAILED', 'CANCELLED', 'RETURNED', 'REVERSED'];

  /** A run as the read model has it; it follows the commands within moments, so a fresh id may need a retry. */
  async function runDetail(runId, until) {
    for (let attempt = 0; ; attempt++) {
      try {
        const d = await get('/api/v1/payout-runs/' + runId);
        if (!until || until(d) || attempt >= 20) return d;
      } catch (e) {
        if (e.status !== 404 || attempt >= 20) throw e;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** Preview → approve → progress: the items with their states, refreshed until every payout is final. */
  async function showRun(out, runId, until) {
    const d = await runDetail(runId, until);
    out.replaceChildren(el('h2', {}, 'Run ' + d.run.periodFrom + ' – ' + d.run.periodTo + ': ' + d.run.status));
    out.dataset.status = d.run.status;
    dataTable(out, [
      { key: 'affiliateId', label: 'Affiliate', text: (r) => nameOf('affiliates', r.affiliateId), render: (r) => cell('affiliate', r.affiliateId) },
      { key: 'amountMinor', label: 'Amount', num: true, text: (r) => minor(r.amountMinor, r.amountCurrency) },
      { key: 'paidMinor', label: 'Paid', num: true, text: (r) => minor(r.paidMinor, r.paidCurrency) },
      { key: 'processor', label: 'Processor' },
      { key: 'state', label: 'State' },
    ], d.items || [], { id: 'run-items', search: false });
    out.append(el('p', { id: 'run-progress' }, (d.progress || []).map((p) => p.state + ': ' + p.payouts).join(' · ')
      || 'Nobody in this run: no affiliate has an available balance with a confirmed payout method for this period.'));
    if (d.run.status === 'PREVIEW' && canEdit()) {
      out.append(el('button', { type: 'button', class: 'primary', id: 'run-approve', onclick: async (e) => {
        e.target.disabled = true;
        try {
          await api('POST', '/api/v1/payout-runs/' + runId + '/approve');
          await showRun(out, runId, (x) => x.run.status !== 'PREVIEW');
        } catch (err) { out.append(el('p', { class: 'error', role: 'alert' }, err.message)); }
      } }, 'Approve and pay'), ' ',
      el('button', { type: 'button', class: 'danger', id: 'run-cancel', onclick: async () => {
        await api('POST', '/api/v1/payout-runs/' + runId + '/cancel');
        await showRun(out, runId, (x) => x.run.status !== 'PREVIEW');
      } }, 'Cancel run'));
    } else if (d.run.status === 'APPROVED' && (d.items || []).some((i) => !FINAL_PAYOUT_STATES.includes(i.state))) {
      setTimeout(() => { if (out.isConnected) showRun(out, runId).catch(() => {}); }, 3000);
    }
  }

  // ------------------------------------------------------------------ console: moderation (tenant admin; advertiser if allowed)

  function when(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    if (isNaN(d)) return String(iso);
    return new Intl.DateTimeFormat('sv-SE', { timeZone: S.me.timezone, year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(d);
  }

  /**
   * A modal form (a <dialog>) for one moderation: the reason (required except to approve), and for an
   * adjustment the new revenue and (tenant admin) payout; the API's problem details show next to the
   * fields, and the dialog closes only when the API accepted it.
   */
  function moderationDialog(action, what, onSubmit) {
    const reason = input({ maxlength: 500, 'data-wide': '1' });
    const revenue = input({ inputmode: 'decimal', size: 10 });
    const payout = input({ inputmode: 'decimal', size: 10 });
    const admin = S.me.role === 'TENANT_ADMIN';
    const dialog = el('dialog', { id: 'moderation-dialog', 'aria-labelledby': 'moderation-dialog-title' });
    const form = el('form', { class: 'grid', id: 'moderation-form', novalidate: true });
    const alert = el('p', { class: 'error form-alert wide', role: 'alert' });
    const submit = el('button', { type: 'submit', class: action === 'approve' ? 'primary' : 'danger', id: 'moderation-submit' },
      action.charAt(0).toUpperCase() + action.slice(1));
    form.append(...[alert,
      field(action === 'approve' ? 'Reason (optional)' : 'Reason', 'reason', reason, 'Kept in the audit trail.'),
      action === 'adjust' ? field(S.me.role === 'ADVERTISER' ? 'New cost' : 'New revenue', 'revenue', revenue, 'Empty keeps it.') : null,
      action === 'adjust' && admin ? field('New payout', 'payout', payout, 'Empty keeps it.') : null,
      el('div', { class: 'form-actions' }, submit, el('button', { type: 'button', onclick: () => { dialog.close(); dialog.remove(); } }, 'Cancel'))]
      .filter(Boolean));
    dialog.append(el('h2', { id: 'moderation-dialog-title' }, action.charAt(0).toUpperCase() + action.slice(1) + ' ' + what), form);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      submit.disabled = true;
      const body = { reason: reason.value.trim() || null };
      if (action === 'adjust') {
        if (revenue.value.trim()) body.revenue = revenue.value.trim();
        if (admin && payout.value.trim()) body.payout = payout.value.trim();
      }
      try {
        await onSubmit(body);
        dialog.close();
        dialog.remove();
      } catch (err) { showProblem(form, err); } finally { submit.disabled = false; }
    });
    document.body.append(dialog);
    dialog.showModal();
    reason.focus();
  }

  /** Whether this advertiser's tenant lets advertisers moderate (the queue answers 403 otherwise). */
  async function advertiserModerates() {
    try { await get('/api/v1/conversions/moderation?limit=1'); return true; } catch (e) { if (e.status === 403) return false; throw e; }
  }

  const MOD_ACTIONS = { PENDING: ['approve', 'reject', 'adjust'], APPROVED: ['reverse'] };

  /**
   * The review queue: the conversions moderation sees (held and pending first by default), one at a time
   * or the selected ones or everything the filter matches, through the moderation REST API.
   */
  async function moderationPage(view) {
    const staff = S.me.role !== 'ADVERTISER';
    view.append(el('h1', {}, 'Moderation'), el('p', { class: 'muted' },
      'Approve, reject, reverse or adjust conversions. A reason is required except to approve; each moderation is in the audit trail. '
      + 'Times in ' + S.me.timezone + '.'));
    const status = select([['PENDING', 'pending'], ['APPROVED', 'approved'], ['REJECTED', 'rejected'], ['REVERSED', 'reversed'], ['', 'any']], 'PENDING', { id: 'mod-status' });
    const held = select([['', 'any'], ['true', 'held for review'], ['false', 'not held']], '', { id: 'mod-held' });
    const offer = select([['', 'any']].concat(Object.entries(S.dir.offers).map(([k, v]) => [k, v.name])), '', { id: 'mod-offer' });
    const affiliate = staff ? select([['', 'any']].concat(Object.entries(S.dir.affiliates).map(([k, v]) => [k, v.name])), '', { id: 'mod-affiliate' }) : null;
    const from = input({ type: 'date', id: 'mod-from' });
    const to = input({ type: 'date', id: 'mod-to' });
    const form = el('form', { class: 'toolbar', id: 'mod-form' },
      el('label', { for: status.id }, 'Status', status), el('label', { for: held.id }, 'Review', held),
      el('label', { for: offer.id }, 'Offer', offer), affiliate ? el('label', { for: affiliate.id }, 'Affiliate', affiliate) : null,
      el('label', { for: from.id }, 'From', from), el('label', { for: to.id }, 'To (inclusive)', to),
      el('button', { type: 'submit', class: 'primary', id: 'mod-load' }, 'Show'));
    const selected = new Set();
    const count = el('span', { id: 'mod-selected', class: 'muted', 'aria-live': 'polite' });
    const bulk = el('div', { class: 'toolbar', role: 'group', 'aria-label': 'Bulk moderation' }, count,
      ['approve', 'reject', 'reverse'].map((a) => el('button', { type: 'button', id: 'mod-bulk-' + a, class: a === 'approve' ? 'primary' : 'danger',
        onclick: () => bulkAction(a, true) }, a.charAt(0).toUpperCase() + a.slice(1) + ' selected')),
      el('button', { type: 'button', id: 'mod-bulk-all-approve', onclick: () => bulkAction('approve', false) }, 'Approve all matching'),
      el('button', { type: 'button', id: 'mod-bulk-all-reject', class: 'danger', onclick: () => bulkAction('reject', false) }, 'Reject all matching'));
    const result = el('p', { id: 'mod-result', role: 'status' });
    const error = el('p', { id: 'mod-error', class: 'error', role: 'alert' });
    const box = el('div', { id: 'mod-table', class: 'table-wrap' });
    view.append(form, bulk, result, error, box);
    let items = [];

    function instant(date, plusDays) {
      if (!date) return null;
      // Midnight in the tenant's zone: the offset is read from the zone's own formatting of that day.
      const probe = new Date(addDays(date, plusDays) + 'T12:00:00Z');
      const tz = new Intl.DateTimeFormat('en-US', { timeZone: S.me.timezone, timeZoneName: 'longOffset' }).formatToParts(probe)
        .find((p) => p.type === 'timeZoneName').value.replace('GMT', '') || '+00:00';
      return new Date(addDays(date, plusDays) + 'T00:00:00' + tz).toISOString();
    }
    function filter() {
      const f = {};
      if (status.value) f.status = status.value;
      if (held.value) f.held = held.value === 'true';
      if (offer.value) f.offerId = offer.value;
      if (affiliate && affiliate.value) f.affiliateId = affiliate.value;
      if (from.value) f.from = instant(from.value, 0);
      if (to.value) f.to = instant(to.value, 1);
      return f;
    }
    function updateCount() {
      count.textContent = selected.size + ' selected of ' + items.length;
      view.querySelectorAll('[id^=mod-bulk-]').forEach((b) => { if (!b.id.includes('-all-')) b.disabled = !selected.size; });
    }
    async function load() {
      error.textContent = '';
      const q = new URLSearchParams({ limit: '1000' });
      Object.entries(filter()).forEach(([k, v]) => q.set(k, String(v)));
      items = (await get('/api/v1/conversions/moderation?' + q)).items;
      selected.clear();
      render();
    }
    function render() {
      const all = el('input', { type: 'checkbox', id: 'mod-all', 'aria-label': 'Select all', onchange: (e) => {
        items.forEach((i) => { if (e.target.checked) selected.add(i.conversionId); else selected.delete(i.conversionId); });
        render();
      } });
      all.checked = items.length > 0 && selected.size === items.length;
      const cols = [['convertedAt', 'Converted'], ['offerId', 'Offer'], staff ? ['affiliateId', 'Affiliate'] : null, ['goal', 'Goal'],
        ['status', 'Status'], ['held', 'Review'], ['revenue', staff ? 'Revenue' : 'Cost'], staff ? ['payout', 'Payout'] : null].filter(Boolean);
      const table = el('table', { 'data-rows': items.length }, el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, all),
        cols.map(([k, label]) => el('th', { scope: 'col', class: ['revenue', 'payout'].includes(k) ? 'num' : null }, label)),
        el('th', { scope: 'col' }, 'Actions'))));
      const body = el('tbody');
      items.forEach((i) => {
        const check = el('input', { type: 'checkbox', 'aria-label': 'Select conversion ' + i.conversionId, 'data-conversion': i.conversionId,
          checked: selected.has(i.conversionId), onchange: (e) => { if (e.target.checked) selected.add(i.conversionId); else selected.delete(i.conversionId); updateCount(); all.checked = selected.size === items.length; } });
        const cells = {
          convertedAt: el('span', { title: 'conversion ' + i.conversionId + ' · click ' + i.clickId }, when(i.convertedAt)),
          offerId: cell('offer', i.offerId), affiliateId: cell('affiliate', i.affiliateId), goal: i.goal, status: i.status,
          held: i.held ? el('span', { class: 'badge' }, i.held.replace(/_/g, ' ')) : '',
          revenue: i.revenue + ' ' + i.currency, payout: i.payout === undefined ? '' : i.payout + ' ' + i.currency,
        };
        const actions = (MOD_ACTIONS[i.status] || []).map((a) => el('button', { type: 'button',
          class: a === 'approve' ? 'primary' : a === 'adjust' ? null : 'danger', 'data-action': a, 'data-conversion': i.conversionId,
          onclick: () => moderationDialog(a, 'conversion ' + nameOf('offers', i.offerId) + ' · ' + i.goal + ' · ' + when(i.convertedAt), async (body) => {
            const r = await api('POST', '/api/v1/conversions/' + encodeURIComponent(i.conversionId) + '/' + a, body);
            result.textContent = 'Conversion ' + i.conversionId + ': ' + r.from + ' → ' + r.to + (a === 'adjust' ? ' (' + (staff ? 'revenue ' : 'cost ') + r.revenue
              + (r.payout !== undefined ? ', payout ' + r.payout : '') + ' ' + r.currency + ')' : '') + '.';
            applied(i.conversionId, r.to, r);
          }) }, a));
        body.append(el('tr', { 'data-conversion': i.conversionId }, el('td', {}, check),
          cols.map(([k]) => el('td', { class: ['revenue', 'payout'].includes(k) ? 'num' : null }, cells[k])),
          el('td', {}, actions.length ? actions.reduce((acc, b) => acc.concat(acc.length ? [' ', b] : [b]), []) : el('span', { class: 'muted' }, 'final'))));
      });
      if (!items.length) body.append(el('tr', {}, el('td', { colspan: cols.length + 2, class: 'muted' }, 'Nothing to moderate here.')));
      table.append(body);
      box.replaceChildren(table);
      updateCount();
    }
    /**
     * What the API answered, applied to the list at once (the queue's read model follows the commands
     * within moments, so reloading right away could still show the old state): the new status, the
     * adjusted amounts, and a conversion that no longer matches the status filter leaves the list.
     */
    function applied(conversionId, to, answer) {
      const item = items.find((x) => x.conversionId === conversionId);
      if (item) {
        item.status = to;
        if (answer && answer.revenue !== undefined) item.revenue = answer.revenue;
        if (answer && answer.payout !== undefined) item.payout = answer.payout;
      }
      items = items.filter((x) => !status.value || x.status === status.value);
      selected.forEach((id) => { if (!items.some((x) => x.conversionId === id)) selected.delete(id); });
      render();
    }
    function bulkAction(action, onlySelected) {
      const f = onlySelected ? { conversionIds: [...selected] } : filter();
      if (!onlySelected && !Object.keys(f).length) { error.textContent = 'Narrow the filter first (a status at least).'; return; }
      const what = onlySelected ? selected.size + ' selected conversions' : 'every conversion matching the filter (up to 1000)';
      moderationDialog(action, what, async (body) => {
        const r = await api('POST', '/api/v1/conversions/moderation', Object.assign({ action: action.toUpperCase(), filter: f }, body));
        result.textContent = action + ': ' + r.matched + ' matched, ' + r.moderated + ' moderated, ' + r.refused + ' refused'
          + (r.refused ? ' (' + Object.entries(r.refusedByType).map(([k, v]) => k + ' ' + v).join(', ') + ')' : '') + '.';
        result.dataset.moderated = r.moderated;
        result.dataset.refused = r.refused;
        r.results.filter((x) => x.outcome === 'moderated').forEach((x) => applied(x.conversionId, x.to));
      });
    }
    form.addEventListener('submit', (e) => { e.preventDefault(); load().catch((err) => { error.textContent = err.message; }); });
    await load();
  }

  // ------------------------------------------------------------------ console: API keys, postback settings, outbound, tenant

  /** A form under a page's own heading (formShell without its title). */
  function subForm(id, children, onSubmit, label) {
    const section = formShell(id, '', children, onSubmit, label);
    section.querySelector('h1').remove();
    section.querySelectorAll('.form-actions button[type=button]').forEach((b) => { if (b.textContent === 'Cancel') b.remove(); });
    return section;
  }

  /** A secret the API shows once: a read-only field with a copy button and a warning. */
  function shownOnce(id, label, value, extra) {
    const u = input({ value, readonly: true, id, 'aria-label': label });
    return el('div', { class: 'once', role: 'status' }, el('p', { class: 'ok' }, label + ': shown this once. Copy it now; it cannot be read again.'),
      el('div', { class: 'copy-row' }, u, copyButton(u)), extra || null);
  }

  /** Asks twice before something that cannot be undone: the first click arms the button, the second acts. */
  function confirmButton(label, armedLabel, attrs, act) {
    let armed = false;
    const b = el('button', Object.assign({ type: 'button', class: 'danger' }, attrs), label);
    b.addEventListener('click', async () => {
      if (!armed) { armed = true; b.textContent = armedLabel; setTimeout(() => { if (armed) { armed = false; b.textContent = label; } }, 5000); return; }
      armed = false;
      b.disabled = true;
      try { await act(b); } catch (err) { b.disabled = false; b.textContent = err.message; }
    });
    return b;
  }

  /** Polls a read until it satisfies {@code until} (read models follow the commands within moments). */
  async function settle(read, until) {
    let value = await read();
    for (let i = 0; i < 20 && !until(value); i++) {
      await new Promise((r) => setTimeout(r, 300));
      value = await read();
    }
    return value;
  }

  const KEY_ROLES = [['TENANT_ADMIN', 'Admin'], ['TENANT_ANALYST', 'Analyst (read-only)'], ['AUDITOR', 'Auditor (read-only)'],
    ['AFFILIATE', 'Affiliate (portal)'], ['ADVERTISER', 'Advertiser (portal)']];

  function keyState(k) {
    if (k.revokedAt) return 'revoked';
    if (k.replacedBy) return k.active ? 'replaced (overlap until ' + when(k.expiresAt) + ')' : 'replaced';
    return k.active ? 'active' : 'expired';
  }

  async function keysPage(view) {
    view.append(el('h1', {}, 'API keys'), el('p', { class: 'muted' },
      'Each key has a role: admins manage everything, analysts and auditors read, an affiliate or advertiser key opens that '
      + 'partner\'s portal. A key is shown once when it is created or rotated; the list shows only its first characters.'));
    const out = el('div', { id: 'key-issued' });
    if (canEdit()) {
      const role = select(KEY_ROLES, 'TENANT_ANALYST');
      const aff = select([['', 'choose…']].concat(Object.entries(S.dir.affiliates).map(([k, v]) => [k, v.name])), '');
      const adv = select([['', 'choose…']].concat(Object.entries(S.dir.advertisers).map(([k, v]) => [k, v.name])), '');
      const label = input({ maxlength: 100 });
      const affField = field('Affiliate', 'affiliateId', aff);
      const advField = field('Advertiser', 'advertiserId', adv);
      const toggle = () => { affField.hidden = role.value !== 'AFFILIATE'; advField.hidden = role.value !== 'ADVERTISER'; };
      role.addEventListener('change', toggle);
      toggle();
      view.append(el('h2', {}, 'New key'), subForm('key-form', [field('Role', 'role', role), affField, advField,
        field('Label', 'label', label, 'A note to tell keys apart, e.g. "reporting".')], async () => {
        const body = { role: role.value, label: label.value.trim() || null,
          affiliateId: role.value === 'AFFILIATE' ? (aff.value || null) : null, advertiserId: role.value === 'ADVERTISER' ? (adv.value || null) : null };
        const issued = await api('POST', '/api/v1/keys', body);
        out.replaceChildren(shownOnce('new-key', 'New ' + role.options[role.selectedIndex].text + ' key', issued.key));
        await list(issued.keyId);
      }, 'Create key'), out);
    }
    view.append(el('h2', {}, 'Keys'));
    const box = el('div', { id: 'keys-list' });
    view.append(box);
    async function list(mustShow) {
      const read = () => all('keys');
      const keys = mustShow ? await settle(read, (ks) => ks.some((k) => k.keyId === mustShow)) : await read();
      box.replaceChildren();
      dataTable(box, [
        { key: 'keyPrefix', label: 'Key', text: (r) => r.keyPrefix + '…', render: (r) => el('code', { title: r.keyId }, r.keyPrefix + '…') },
        { key: 'role', label: 'Role', text: (r) => (KEY_ROLES.find(([v]) => v === r.role) || [r.role, r.role])[1] },
        { key: 'principalId', label: 'For', text: (r) => (r.role === 'AFFILIATE' ? nameOf('affiliates', r.principalId)
          : r.role === 'ADVERTISER' ? nameOf('advertisers', r.principalId) : '') },
        { key: 'label', label: 'Label' },
        { key: 'createdAt', label: 'Created', text: (r) => when(r.createdAt) },
        { key: 'lastUsedAt', label: 'Last used', text: (r) => when(r.lastUsedAt) },
        { key: 'state', label: 'State', text: keyState },
        canEdit() ? { key: 'actions', label: '', sortable: false, text: () => '', render: (r) => (r.revokedAt || !r.active ? '' : el('span', {},
          el('button', { type: 'button', 'data-rotate': r.keyId, onclick: async (e) => {
            try {
              const issued = await api('POST', '/api/v1/keys/' + encodeURIComponent(r.keyId) + '/rotate');
              out.replaceChildren(shownOnce('new-key', 'Replacement key (the old one keeps working for an hour)', issued.key));
              await list(issued.keyId);
            } catch (err) { e.target.textContent = err.message; }
          } }, 'Rotate'), ' ',
          confirmButton('Revoke', 'Really revoke?', { 'data-revoke': r.keyId }, async () => {
            await api('DELETE', '/api/v1/keys/' + encodeURIComponent(r.keyId));
            await settle(read, (ks) => ks.some((k) => k.keyId === r.keyId && k.revokedAt));
            await list();
          }))) } : null,
      ].filter(Boolean), keys, { id: 'keys' });
    }
    await list();
  }

  const STATUSES = ['APPROVED', 'PENDING', 'REJECTED', 'REVERSED'];

  async function postbackSettingsPage(view) {
    view.append(el('h1', {}, 'Postback settings'), el('p', { class: 'muted' },
      'Advertisers report conversions to ' + location.origin + '/postback with a token. A tenant token reaches every offer; an '
      + 'advertiser\'s token only that advertiser\'s offers.'));
    const v = await get('/api/v1/postback-settings');
    view.append(el('p', { id: 'postback-counters' }, 'Refused postbacks so far: ' + v.unauthorizedAttempts + ' without a valid token, '
      + v.forbiddenAttempts + ' with a token that may not reach the offer.'));
    view.append(el('h2', {}, 'Tokens'));
    const out = el('div', { id: 'token-issued' });
    if (canEdit()) {
      const owner = select([['', 'Every advertiser (tenant token)']].concat(Object.entries(S.dir.advertisers).map(([k, a]) => [k, 'Only ' + a.name])), '');
      view.append(subForm('token-form', [field('Token for', 'advertiserId', owner)], async () => {
        const issued = await api('POST', owner.value ? '/api/v1/advertisers/' + encodeURIComponent(owner.value) + '/postback-tokens' : '/api/v1/postback-tokens');
        out.replaceChildren(shownOnce('new-token', 'Postback token', issued.token,
          el('p', { class: 'muted' }, 'Postback URL: ', el('code', {}, location.origin + issued.example))));
        await tokens(issued.tokenId);
      }, 'Issue token'), out);
    }
    const box = el('div', { id: 'tokens-list' });
    view.append(box);
    async function tokens(mustShow) {
      const read = async () => (await get('/api/v1/postback-settings')).tokens;
      const list = mustShow ? await settle(read, (ts) => ts.some((x) => x.tokenId === mustShow)) : v.tokens;
      box.replaceChildren();
      dataTable(box, [
        { key: 'prefix', label: 'Token', text: (r) => r.prefix + '…', render: (r) => el('code', { title: r.tokenId }, r.prefix + '…') },
        { key: 'advertiserId', label: 'Reaches', text: (r) => (r.advertiserId ? nameOf('advertisers', r.advertiserId) + ' only' : 'every advertiser') },
        { key: 'issuedAt', label: 'Issued', text: (r) => when(r.issuedAt) },
        { key: 'revokedAt', label: 'State', text: (r) => (r.revokedAt ? 'revoked ' + when(r.revokedAt) : 'active') },
        canEdit() ? { key: 'actions', label: '', sortable: false, text: () => '', render: (r) => (r.revokedAt ? ''
          : confirmButton('Revoke', 'Really revoke?', { 'data-revoke': r.tokenId }, async () => {
            await api('DELETE', '/api/v1/postback-tokens/' + encodeURIComponent(r.tokenId));
            v.tokens = await settle(read, (ts) => ts.some((x) => x.tokenId === r.tokenId && x.revokedAt));
            await tokens();
          })) } : null,
      ].filter(Boolean), list, { id: 'tokens', search: false });
      v.tokens = list;
    }
    await tokens();

    const s = v.settings;
    const fraud = s.fraud || {};
    const review = s.review || {};
    const ro = !canEdit();
    const words = el('textarea', { rows: 4, 'data-wide': '1', readonly: ro },
      Object.entries(s.statusMap || {}).map(([k, st]) => k + '=' + st).join('\n'));
    const defaultStatus = select(STATUSES.map((x) => [x, x.toLowerCase()]), s.defaultStatus || 'APPROVED', { disabled: ro });
    const num = (value, attrs) => input(Object.assign({ type: 'number', value: value === undefined || value === null ? '' : String(value), readonly: ro }, attrs));
    const check = (on) => el('input', { type: 'checkbox', checked: !!on, disabled: ro });
    const minSeconds = num(fraud.minSecondsToConvert, { min: '0', max: '86400' });
    const maxPerClick = num(fraud.maxConversionsPerClickGoal, { min: '0', max: '1000' });
    const selfReferral = check(fraud.selfReferral);
    const flagOnly = check(fraud.flagOnly);
    const reapproval = check(fraud.allowReapproval);
    const holdAbove = input({ value: review.holdAbove === undefined || review.holdAbove === null ? '' : String(review.holdAbove), inputmode: 'decimal', readonly: ro });
    const perOffer = Object.entries(S.dir.offers).map(([id, o]) => [id, input({ inputmode: 'decimal', size: 8, readonly: ro,
      value: review.offerHoldAbove && review.offerHoldAbove[id] !== undefined ? String(review.offerHoldAbove[id]) : '' }), o]);
    const flagged = check(review.holdFlaggedClicks);
    const advModerate = check(review.advertisersModerate);
    view.append(el('h2', {}, 'How postbacks are read'), subForm('postback-settings-form', [
      field('Status words', 'statusMap', words, 'One per line: word=STATUS (APPROVED, PENDING, REJECTED, REVERSED), on top of the usual ones (approved, pending, 1, 2…).'),
      field('Status when a postback names none', 'defaultStatus', defaultStatus),
      el('fieldset', {}, el('legend', {}, 'Fraud rules'), el('span', { class: 'field-error', 'data-error-for': 'fraud' }), el('div', { class: 'checks' },
        field('Refuse conversions sooner than (s)', 'fraud.minSecondsToConvert', minSeconds),
        field('Most conversions per click and goal (0 = any)', 'fraud.maxConversionsPerClickGoal', maxPerClick),
        field('Refuse self-referrals', 'fraud.selfReferral', selfReferral), field('Only flag, never refuse', 'fraud.flagOnly', flagOnly),
        field('An approval may credit a declined transaction', 'fraud.allowReapproval', reapproval))),
      el('fieldset', {}, el('legend', {}, 'Review: hold conversions as pending for a moderator'), el('span', { class: 'field-error', 'data-error-for': 'review' }),
        el('div', { class: 'checks' }, field('Hold payouts above', 'review.holdAbove', holdAbove, 'In the offer\'s currency; empty = no limit'),
          field('Hold clicks the click path flagged', 'review.holdFlaggedClicks', flagged),
          field('Advertisers moderate their own offers', 'review.advertisersModerate', advModerate)),
        perOffer.length ? el('details', {}, el('summary', {}, 'Per-offer limits'), el('div', { class: 'checks' },
          perOffer.map(([id, i, o]) => field(o.name + ' (' + o.currency + ')', 'review.offerHoldAbove.' + id, i)))) : null),
    ], async (form) => {
      const statusMap = {};
      words.value.split('\n').map((l) => l.trim()).filter(Boolean).forEach((l) => {
        const at = l.lastIndexOf('=');
        statusMap[at < 0 ? l : l.slice(0, at).trim()] = at < 0 ? '' : l.slice(at + 1).trim().toUpperCase();
      });
      const offerHoldAbove = {};
      perOffer.forEach(([id, i]) => { if (i.value.trim()) offerHoldAbove[id] = i.value.trim(); });
      const body = { statusMap, defaultStatus: defaultStatus.value,
        fraud: { minSecondsToConvert: minSeconds.value === '' ? null : Number(minSeconds.value), maxConversionsPerClickGoal: maxPerClick.value === '' ? null : Number(maxPerClick.value),
          selfReferral: selfReferral.checked, flagOnly: flagOnly.checked, allowReapproval: reapproval.checked },
        review: { holdAbove: holdAbove.value.trim() || null, offerHoldAbove, holdFlaggedClicks: flagged.checked, advertisersModerate: advModerate.checked } };
      await api('PUT', '/api/v1/postback-settings', body);
      form.querySelector('.form-alert').replaceChildren(el('span', { class: 'ok', id: 'postback-settings-saved' }, 'Saved.'));
    }, 'Save settings'));
  }

  /** An affiliate's (or the tenant's payout endpoint's) delivery log, newest first, with redelivery for admins. */
  async function deliveryLog(target, ownerId, editable) {
    const log = await get('/api/v1/affiliates/' + encodeURIComponent(ownerId) + '/postback-deliveries?limit=50');
    dataTable(target, [
      { key: 'startedAt', label: 'Time', text: (r) => when(r.startedAt) }, { key: 'outcome', label: 'Outcome' },
      { key: 'statusCode', label: 'HTTP', num: true }, { key: 'latencyMs', label: 'ms', num: true },
      { key: 'url', label: 'URL (secrets masked)' }, { key: 'deliveryState', label: 'Delivery' },
      editable ? { key: 'redeliver', label: '', sortable: false, text: () => '', render: (r) => el('button', { type: 'button', onclick: async (e) => {
        try { await api('POST', '/api/v1/affiliates/' + encodeURIComponent(ownerId) + '/postback-deliveries/' + r.deliveryId + '/redeliver'); e.target.textContent = 'Queued'; } catch (err) { e.target.textContent = err.message; }
      } }, 'Redeliver') } : null,
    ].filter(Boolean), log.items || [], { id: 'deliveries', search: false });
  }

  /** The tenant's payout terms (GET/PUT /api/v1/payout-terms): holds, schedule, minimums; admins edit, analysts and auditors read. */
  async function payoutTermsPage(view) {
    view.append(el('h1', {}, 'Payout terms'), el('p', { class: 'muted' },
      'How long earnings are held before they become available, when runs pay, the smallest amount paid per currency, and '
      + 'whether a negative balance (a reversal after a payout) stops an affiliate\'s payouts.'));
    const v = await get('/api/v1/payout-terms');
    const ro = !canEdit();
    const status = el('p', { id: 'payout-terms-status', class: 'muted', role: 'status' },
      v.default ? 'These are the defaults: no terms have been set yet.' : 'Terms in force.');
    const hold = input({ value: v.defaultHold, readonly: ro, size: 10 });
    const schedule = select([['WEEKLY', 'Weekly'], ['MONTHLY', 'Monthly'], ['NET', 'NET n days after the period']], v.schedule, { disabled: ro });
    const netDays = input({ type: 'number', min: '0', max: '365', value: String(v.netDays), readonly: ro });
    const minimum = el('textarea', { rows: 3, 'data-wide': '1', readonly: ro },
      Object.entries(v.minimum || {}).map(([c, a]) => c + ' ' + a).join('\n'));
    const blocks = el('input', { type: 'checkbox', checked: !!v.negativeBalanceBlocks, disabled: ro });
    const holds = v.offerHolds || {};
    const perOffer = Object.entries(S.dir.offers).map(([id, o]) => [id, input({ size: 10, readonly: ro,
      value: holds[id] === undefined ? '' : holds[id] }), o]);
    const known = new Set(perOffer.map(([id]) => id));
    const unknown = Object.entries(holds).filter(([id]) => !known.has(id));
    view.append(status, subForm('payout-terms-form', [
      field('Default hold', 'defaultHold', hold, 'ISO-8601 duration: P30D = 30 days, PT12H = 12 hours'),
      field('Schedule', 'schedule', schedule),
      field('NET days', 'netDays', netDays, 'Only for a NET schedule'),
      field('Minimum payout per currency', 'minimum', minimum, 'One per line: currency and amount, e.g. EUR 25.00 or JPY 3000; a currency left out pays from one minor unit (0.01 EUR, 1 JPY)'),
      el('div', { class: 'checks wide' }, field('A negative balance blocks an affiliate\'s payouts', 'negativeBalanceBlocks', blocks)),
      el('fieldset', {}, el('legend', {}, 'Hold per offer (empty = the default hold)'),
        el('span', { class: 'field-error', 'data-error-for': 'offerHolds', 'aria-live': 'polite' }),
        el('div', { class: 'checks' }, perOffer.map(([id, i, o]) => field(o.name, 'offerHolds.' + id, i))),
        unknown.length ? el('p', { class: 'muted' }, 'Kept as they are for offers not listed here: '
          + unknown.map(([id, d]) => id + ' ' + d).join(', ')) : null),
      el('span', { class: 'field-error wide', 'data-error-for': 'terms', 'aria-live': 'polite' }),
    ], async (form) => {
      const offerHolds = Object.fromEntries(unknown);
      perOffer.forEach(([id, i]) => { if (i.value.trim()) offerHolds[id] = i.value.trim(); });
      const minimums = {};
      minimum.value.split('\n').map((l) => l.trim()).filter(Boolean).forEach((l) => {
        const [currency, ...amount] = l.split(/[\s=:]+/);
        minimums[currency.toUpperCase()] = amount.join('');
      });
      await api('PUT', '/api/v1/payout-terms', { defaultHold: hold.value.trim(), offerHolds, schedule: schedule.value,
        netDays: netDays.value === '' ? null : Number(netDays.value), minimum: minimums, negativeBalanceBlocks: blocks.checked });
      status.textContent = 'Terms in force.';
      form.querySelector('.form-alert').replaceChildren(el('span', { class: 'ok', id: 'payout-terms-saved' }, 'Saved.'));
    }, 'Save terms'));
  }

  async function outboundPage(view) {
    view.append(el('h1', {}, 'Outbound postbacks'), el('p', { class: 'muted' },
      'Where affnet calls your affiliates (and you) when a conversion or payout changes. Postbacks go only to public internet '
      + 'addresses: private targets are the installation\'s configuration, not a tenant setting.'));
    const settings = await get('/api/v1/outbound-settings');
    view.append(el('p', { id: 'outbound-private' }, 'Private and loopback targets: ' + (settings.allowPrivateTargets ? 'allowed' : 'refused') + '.'));
    view.append(el('h2', {}, 'Affiliate endpoints'));
    const affiliates = Object.entries(S.dir.affiliates);
    const endpoints = await Promise.all(affiliates.map(async ([id, a]) => {
      try { return Object.assign({ id, name: a.name }, await get('/api/v1/affiliates/' + encodeURIComponent(id) + '/postback')); } catch (e) {
        if (e.status === 404) return { id, name: a.name, none: true };
        throw e;
      }
    }));
    const logBox = el('div', { id: 'outbound-log' });
    const logOf = select([['', 'choose an affiliate…']].concat(affiliates.map(([k, a]) => [k, a.name])), '', { id: 'outbound-log-of' });
    const endpointState = (r) => (r.none ? 'no postback' : r.paused ? 'paused: ' + (r.pauseReason || '') : 'delivering');
    dataTable(view, [
      { key: 'name', label: 'Affiliate', render: (r) => el('a', { href: '#/affiliates/' + r.id, title: r.id }, r.name), text: (r) => r.name },
      { key: 'templates', label: 'Postback URL', text: (r) => (r.none ? '' : (r.templates || []).map((x) => x.url).join(' · ')) },
      { key: 'state', label: 'State', text: endpointState },
      { key: 'consecutiveFailures', label: 'Failures in a row', num: true, text: (r) => (r.none ? '' : String(r.consecutiveFailures)) },
      { key: 'actions', label: '', sortable: false, text: () => '', render: (r) => el('span', {},
        r.none ? '' : el('button', { type: 'button', 'data-log': r.id, onclick: () => { logOf.value = r.id; showLog(); } }, 'Delivery log'),
        canEdit() && r.paused ? [' ', el('button', { type: 'button', class: 'primary', 'data-resume': r.id, onclick: async (e) => {
          try { await api('POST', '/api/v1/affiliates/' + encodeURIComponent(r.id) + '/postback/resume'); e.target.textContent = 'Resumed'; e.target.disabled = true; } catch (err) { e.target.textContent = err.message; }
        } }, 'Resume')] : null) },
    ], endpoints, { id: 'endpoints' });
    async function showLog() {
      logBox.replaceChildren();
      if (logOf.value) await deliveryLog(logBox, logOf.value, canEdit());
    }
    logOf.addEventListener('change', () => showLog().catch((e) => logBox.replaceChildren(el('p', { class: 'error' }, e.message))));
    view.append(el('h2', {}, 'Delivery log'), el('div', { class: 'toolbar' }, el('label', { for: logOf.id }, 'Affiliate', logOf)), logBox);

    view.append(el('h2', {}, 'Your payout notifications'), el('p', { class: 'muted' },
      'One URL of yours receives every payout state change of your affiliates as a signed JSON POST (docs/payouts.md).'));
    let hook = null;
    // Tenant admins only (like its PUT): 404 before the first PUT, 403 for the other staff roles.
    try { hook = await get('/api/v1/payout-webhook'); } catch (e) { if (e.status !== 404 && e.status !== 403) throw e; }
    const url = input({ type: 'url', 'data-wide': '1', value: hook && hook.url ? hook.url : '', readonly: !canEdit() });
    const hookOut = el('div', { id: 'payout-webhook-result' });
    const form = subForm('payout-webhook-form', [field('URL', 'url', url),
      hook ? el('p', { class: 'muted wide', id: 'payout-webhook-state' }, 'Signing secret ' + (hook.secretPrefix || '') + '… · '
        + (hook.paused ? 'PAUSED: ' + (hook.pauseReason || '') : 'delivering')) : null], async () => {
      const saved = await api('PUT', '/api/v1/payout-webhook', { url: url.value.trim() });
      hookOut.replaceChildren(saved.secret ? shownOnce('payout-webhook-secret', 'Signing secret', saved.secret) : el('p', { class: 'ok' }, 'Saved.'));
    }, 'Save');
    if (canEdit() && hook) {
      form.querySelector('.form-actions').append(el('button', { type: 'button', onclick: async () => {
        try { const r = await api('POST', '/api/v1/payout-webhook/secret'); hookOut.replaceChildren(shownOnce('payout-webhook-secret', 'New signing secret', r.secret)); } catch (e) { hookOut.replaceChildren(el('p', { class: 'error' }, e.message)); }
      } }, 'New signing secret'), hook.paused ? el('button', { type: 'button', onclick: async () => {
        try { await api('POST', '/api/v1/payout-webhook/resume'); hookOut.replaceChildren(el('p', { class: 'ok' }, 'Resumed.')); } catch (e) { hookOut.replaceChildren(el('p', { class: 'error' }, e.message)); }
      } }, 'Resume') : '');
    }
    view.append(form, hookOut);
  }

  async function tenantSettingsPage(view) {
    view.append(el('h1', {}, 'Tenant settings'));
    const t = await get('/api/v1/tenants/' + encodeURIComponent(S.me.tenantId));
    view.append(el('dl', { class: 'facts', id: 'tenant-facts' },
      [['Name', t.name], ['Slug', t.slug], ['Id', t.id], ['Time zone', t.timezone], ['Report currency', t.currency], ['Status', t.status],
        ['Registered', when(t.registeredAt)]].map(([k, x]) => [el('dt', {}, k), el('dd', {}, x)]).flat()),
    el('p', { class: 'muted' }, 'Name, time zone and currency are set when the operator registers the tenant.'));

    view.append(el('h2', {}, 'Tracking domains'), el('p', { class: 'muted' },
      'Your own host names (a CNAME to this platform): click URLs use the first, and the click cookie is first-party there.'));
    const d = await get('/api/v1/tracking-domains');
    const hosts = input({ value: d.hosts.join(', '), 'data-wide': '1', readonly: !canEdit() });
    view.append(subForm('domains-form', [field('Host names', 'hosts', hosts, 'Comma separated, e.g. track.shop.example; empty = the platform\'s own')], async (form) => {
      const saved = await api('PUT', '/api/v1/tracking-domains', { hosts: csvList(hosts.value) });
      hosts.value = saved.hosts.join(', ');
      form.querySelector('.form-alert').replaceChildren(el('span', { class: 'ok' }, 'Saved.'));
    }, 'Save domains'));

    view.append(el('h2', {}, 'What advertisers see'));
    const sharing = await get('/api/v1/reports/sharing');
    const share = el('input', { type: 'checkbox', checked: sharing.advertisersSeeAffiliates, disabled: !canEdit() });
    view.append(subForm('sharing-form', [field('Advertisers see who sent their traffic (affiliate, link, sub ids, source)', 'advertisersSeeAffiliates', share)], async (form) => {
      await api('PUT', '/api/v1/report-sharing', { advertisersSeeAffiliates: share.checked });
      form.querySelector('.form-alert').replaceChildren(el('span', { class: 'ok', id: 'sharing-saved' }, 'Saved.'));
    }, 'Save'));
  }

  // ------------------------------------------------------------------ affiliate portal

  async function myOffers(view) {
    view.append(el('h1', {}, 'My offers'));
    const rows = Object.entries(S.dir.offers).map(([id, o]) => Object.assign({ id }, o));
    dataTable(view, [
      { key: 'name', label: 'Offer', text: (r) => r.name, render: (r) => el('span', { title: r.id }, r.name) },
      { key: 'status', label: 'Status' },
      { key: 'goals', label: S.me.role === 'AFFILIATE' ? 'You earn' : 'You pay', sortable: false,
        text: (r) => (r.goals || []).map((g) => g.name + ': ' + amountText(S.me.role === 'AFFILIATE' ? g.payout : g.revenue)).join('; ') },
      S.me.role === 'AFFILIATE' ? { key: 'destinationUrl', label: 'Landing page', sortable: false, text: (r) => r.destinationUrl || '',
        render: (r) => (r.destinationUrl ? el('a', { href: r.destinationUrl.replace(/\{[a-z_0-9]+\}/g, ''), target: '_blank', rel: 'noopener noreferrer' }, 'Preview') : '') } : null,
    ].filter(Boolean), rows, { id: 'my-offers' });
  }

  async function myLinks(view) {
    view.append(el('h1', {}, 'My tracking links'),
      el('p', { class: 'muted' }, 'Copy a link, or add sub IDs (sub1…sub3, source) to tell your traffic sources apart in your stats.'));
    const items = await all('links');
    const s = ['sub1', 'sub2', 'sub3', 'source'].map((k) => [k, input({ id: 'sub-' + k, size: 10 })]);
    view.append(el('div', { class: 'toolbar', role: 'group', 'aria-label': 'Sub-ID builder' }, s.map(([k, i]) => el('label', { for: i.id }, k, i))));
    const list = el('div', { id: 'my-links' });
    view.append(list);
    function render() {
      const q = new URLSearchParams();
      s.forEach(([k, i]) => { if (i.value.trim()) q.set(k, i.value.trim()); });
      list.replaceChildren();
      items.forEach((l) => {
        const u = input({ value: l.clickUrl + (q.toString() ? '?' + q : ''), readonly: true, 'aria-label': 'Link to ' + l.offerIds.map((o) => nameOf('offers', o)).join(', ') });
        list.append(el('div', { class: 'card' }, el('h3', {}, l.offerIds.map((o) => nameOf('offers', o)).join(' / '), ' ', el('span', { class: 'badge' }, l.status)),
          el('div', { class: 'copy-row' }, u, copyButton(u))));
      });
      if (!items.length) list.append(el('p', { class: 'muted' }, 'No links yet: ask your network manager for one.'));
    }
    s.forEach(([, i]) => i.addEventListener('input', render));
    render();
  }

  async function myStats(view) {
    view.append(el('h1', {}, S.me.role === 'AFFILIATE' ? 'My stats' : 'Clicks, conversions and cost'));
    await reportView(view, { id: 'report', groups: ['day'], metrics: ['clicks', 'conversions', 'payout', 'revenue'], saved: true });
  }

  async function myPostback(view) {
    view.append(el('h1', {}, 'My postback'), el('p', { class: 'muted' },
      'Your postback URL is called for every conversion of your traffic. Ask your network manager to change it.'));
    await postbackSection(view, S.me.principalId, false);
  }

  async function myBalance(view) {
    view.append(el('h1', {}, 'My balance'));
    const b = await get('/api/v1/affiliates/' + S.me.principalId + '/balance');
    dataTable(view, [
      { key: 'currency', label: 'Currency' },
      { key: 'pending', label: 'Pending', num: true, text: (r) => money(r.pending) },
      { key: 'approved', label: 'Approved', num: true, text: (r) => money(r.approved) },
      { key: 'reversed', label: 'Reversed', num: true, text: (r) => money(r.reversed) },
    ], b.balances || [], { id: 'balance', search: false });
    view.append(el('h2', {}, 'Statement, this month'));
    const today = localDate(0);
    try {
      const st = await get('/api/v1/affiliates/' + S.me.principalId + '/statements?from=' + today.slice(0, 8) + '01&to=' + today);
      dataTable(view, [
        { key: 'postedAt', label: 'Posted' }, { key: 'category', label: 'What' }, { key: 'reference', label: 'Reference' },
        { key: 'minor', label: 'Amount', num: true, text: (r) => minor(r.minor, r.currency) },
      ], st.items || [], { id: 'statement' });
    } catch (e) { view.append(el('p', { class: 'muted' }, e.message)); }
  }

  // ------------------------------------------------------------------ advertiser portal

  async function advertiserPostback(view) {
    view.append(el('h1', {}, 'Postback instructions'));
    const base = location.origin;
    const example = base + '/postback?click_id={click_id}&goal=sale&txn_id={order_id}&amount={order_total}&currency=EUR&token=YOUR_TOKEN';
    const u = input({ value: example, readonly: true, 'aria-label': 'Postback URL' });
    view.append(
      el('p', {}, 'When a visitor we sent converts, call this URL from your server (GET or POST):'),
      el('div', { class: 'copy-row' }, u, copyButton(u)),
      el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Parameter'), el('th', {}, 'Meaning'))), el('tbody', {},
        [['click_id', 'the id we appended to your landing page URL ({click_id} in the offer URL)'],
          ['goal', 'which goal converted: ' + [...new Set(Object.values(S.dir.offers).flatMap((o) => (o.goals || []).map((g) => g.name)))].join(', ')],
          ['txn_id', 'your order id (a repeat is counted once)'], ['amount, currency', 'the sale, for goals paid as a percentage'],
          ['token', 'your postback token (your network manager gives it to you once)']].map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', {}, v))))),
      el('p', {}, 'Pixel alternative: ', el('code', {}, '<img src="' + base + '/p?goal=sale" width="1" height="1">')));
  }

  // ------------------------------------------------------------------ navigation

  const AUDIT_PAGE = 'audit.html';

  function routes() {
    if (S.me.role === 'AFFILIATE') {
      return [['overview', 'Overview', overview], ['offers', 'My offers', myOffers], ['links', 'My links', myLinks],
        ['stats', 'My stats', myStats], ['conversions', 'My conversions', conversionsPage], ['postback', 'My postback', myPostback],
        ['balance', 'My balance', myBalance]];
    }
    if (S.me.role === 'ADVERTISER') {
      return [['overview', 'Overview', overview], ['offers', 'My offers', myOffers], ['stats', 'Clicks & cost', myStats],
        ['conversions', 'My conversions', conversionsPage], S.moderates ? ['moderation', 'Moderation', moderationPage] : null,
        ['postback', 'Postback', advertiserPostback]].filter(Boolean);
    }
    return [['overview', 'Overview', overview], ['reports', 'Reports', (v) => { v.append(el('h1', {}, 'Reports')); return reportView(v, { groups: ['offer'], saved: true }); }],
      ['conversions', 'Conversions', conversionsPage], canEdit() ? ['moderation', 'Moderation', moderationPage] : null,
      ['advertisers', 'Advertisers', advertisersPage, advertiserForm],
      ['offers', 'Offers', offersPage, offerForm], ['affiliates', 'Affiliates', affiliatesPage, affiliateForm],
      ['links', 'Links', linksPage, linkForm], ['payouts', 'Payouts', payoutsPage], ['payout-terms', 'Payout terms', payoutTermsPage],
      ['postback-settings', 'Postback settings', postbackSettingsPage], ['outbound', 'Outbound', outboundPage],
      ['TENANT_ADMIN', 'AUDITOR'].includes(S.me.role) ? ['keys', 'API keys', keysPage] : null,
      ['settings', 'Tenant settings', tenantSettingsPage]].filter(Boolean);
  }

  function navigation() {
    const nav = $('nav');
    nav.replaceChildren(...routes().map(([id, label]) => el('a', { href: '#/' + id, 'data-route': id }, label)));
    if (isStaff()) nav.append(el('a', { href: AUDIT_PAGE, 'data-route': 'audit' }, 'Audit'));
  }

  async function route() {
    if (!S.me) return;
    const [, page, sub] = (location.hash || '#/overview').split('/');
    const r = routes().find(([id]) => id === page) || routes()[0];
    document.querySelectorAll('#nav a').forEach((a) => {
      if (a.dataset.route === r[0]) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    });
    if (S.live) { S.live.abort(); S.live = null; }
    const view = $('view');
    view.replaceChildren();
    document.title = r[1] + ' · affnet';
    try {
      if (sub && r[3]) await r[3](view, sub === 'new' ? null : decodeURIComponent(sub));
      else await r[2](view);
    } catch (e) {
      view.append(el('p', { class: 'error', role: 'alert' }, e.message));
    }
    view.dataset.ready = r[0] + (sub ? '/' + sub : '');
  }

  async function refreshDirectory() { S.dir = await get('/api/v1/directory'); }

  const ROLE_LABEL = { TENANT_ADMIN: 'Admin', TENANT_ANALYST: 'Analyst (read-only)', AUDITOR: 'Auditor (read-only)', AFFILIATE: 'Affiliate', ADVERTISER: 'Advertiser' };

  async function signIn(candidate) {
    sessionStorage.setItem(KEY, candidate);
    try {
      S.me = await get('/api/v1/me');
      [S.dir, S.fields] = await Promise.all([get('/api/v1/directory'), get('/api/v1/reports/fields')]);
      S.moderates = S.me.role === 'ADVERTISER' ? await advertiserModerates() : S.me.role === 'TENANT_ADMIN';
    } catch (e) {
      sessionStorage.removeItem(KEY);
      S.me = null;
      $('signin-error').textContent = 'Sign-in failed: ' + e.message;
      return;
    }
    $('signin-error').textContent = '';
    $('signin-panel').hidden = true;
    $('app').hidden = false;
    $('signout').hidden = false;
    $('key').value = '';
    $('who').replaceChildren(...[el('span', { class: 'role', id: 'who-role' }, ROLE_LABEL[S.me.role] || S.me.role),
      el('span', { id: 'who-tenant', title: 'tenant id ' + S.me.tenantId }, S.me.tenantName),
      S.me.principalName ? el('span', { id: 'who-principal' }, ' · ' + S.me.principalName) : null].filter(Boolean));
    navigation();
    await route();
  }

  function setUp() {
    $('signin-form').addEventListener('submit', (e) => { e.preventDefault(); signIn($('key').value.trim()); });
    $('signout').addEventListener('click', () => {
      if (S.live) { S.live.abort(); S.live = null; }
      sessionStorage.removeItem(KEY);
      S.me = null;
      S.dir = null;
      location.hash = '';
      $('app').hidden = true;
      $('signout').hidden = true;
      $('who').replaceChildren();
      $('view').replaceChildren();
      $('signin-panel').hidden = false;
      $('key').focus();
    });
    window.addEventListener('hashchange', () => { route().then(() => $('view').focus()); });
    if (key()) signIn(key());
  }

  setUp();
}());
