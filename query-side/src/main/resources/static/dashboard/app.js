// The affnet dashboard: plain JS over the REST report API, no build step. The API key lives in
// sessionStorage (this tab only) and goes out as a Bearer header on every call.
(function () {
  'use strict';
  const KEY = 'affnet.key';
  const DIMENSIONS = ['day', 'week', 'month', 'hour', 'offer', 'advertiser', 'affiliate', 'link', 'goal', 'country',
    'device_class', 'sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'sub6', 'sub7', 'sub8', 'sub9', 'sub10', 'source'];
  const METRICS = ['clicks', 'unique_clicks', 'conversions', 'conversions_pending', 'conversions_approved',
    'conversions_rejected', 'conversions_reversed', 'rejected_reports', 'cr', 'revenue', 'payout', 'profit', 'epc'];
  const $ = (id) => document.getElementById(id);
  let zone = 'UTC';
  let currency = '';
  let logCursor = null;

  function key() { return sessionStorage.getItem(KEY); }

  async function api(path, accept) {
    const response = await fetch(path, { headers: { 'Authorization': 'Bearer ' + key(), 'Accept': accept || 'application/json' } });
    if (!response.ok) {
      let detail = response.status + ' ' + response.statusText;
      try { detail = (await response.json()).detail || detail; } catch (e) { /* not JSON */ }
      throw new Error(detail);
    }
    return accept === 'text/csv' ? response.text() : response.json();
  }

  function localDate(offsetDays) {
    const d = new Date(Date.now() + offsetDays * 86400000);
    return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  }

  function rows(table) {
    return table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, r[i]])));
  }

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  async function signIn(candidate) {
    sessionStorage.setItem(KEY, candidate);
    try {
      const probe = await api('/api/v1/reports?metrics=clicks&from=' + localDate(-1) + '&to=' + localDate(1));
      zone = probe.timezone;
      currency = probe.currency;
    } catch (e) {
      sessionStorage.removeItem(KEY);
      $('signin-error').textContent = 'Sign-in failed: ' + e.message;
      return;
    }
    $('signin-error').textContent = '';
    $('signin-panel').hidden = true;
    $('app').hidden = false;
    $('signout').hidden = false;
    $('who').textContent = 'key ' + candidate.slice(0, 12) + '…';
    $('tz').textContent = '(' + zone + ', ' + currency + ')';
    $('from').value = localDate(-29);
    $('to').value = localDate(1);
    await Promise.all([overview(), chart(), conversionLog(false)]);
  }

  const RANGES = [['today', 'Today', 0, 1], ['yesterday', 'Yesterday', -1, 0], ['last7', 'Last 7 days', -6, 1],
    ['last30', 'Last 30 days', -29, 1]];

  async function overview() {
    const box = $('overview');
    box.textContent = '';
    for (const [id, label, from, to] of RANGES) {
      const t = await api('/api/v1/reports?metrics=clicks,conversions,revenue,payout,profit,epc&from=' + localDate(from)
        + '&to=' + localDate(to));
      const r = rows(t)[0];
      const card = el('div', { class: 'card', 'data-range': id });
      card.appendChild(el('h3', {}, label));
      const dl = el('dl');
      const figures = [['clicks', r.clicks], ['conversions', r.conversions],
        ['revenue', r['revenue_converted_' + currency]], ['payout', r['payout_converted_' + currency]],
        ['profit', r['profit_converted_' + currency]], ['epc', r['epc_converted_' + currency] || '—']];
      for (const [name, value] of figures) {
        dl.appendChild(el('dt', {}, name + (['revenue', 'payout', 'profit', 'epc'].includes(name) ? ' (' + currency + ')' : '')));
        dl.appendChild(el('dd', { 'data-metric': name }, String(value)));
      }
      card.appendChild(dl);
      box.appendChild(card);
    }
  }

  async function chart() {
    const t = await api('/api/v1/reports?metrics=clicks,conversions&groupBy=day&from=' + localDate(-29) + '&to=' + localDate(1));
    const byDay = Object.fromEntries(rows(t).map((r) => [r.day, r]));
    const days = [];
    for (let i = -29; i <= 0; i++) days.push(localDate(i));
    const clicks = days.map((d) => (byDay[d] ? byDay[d].clicks : 0));
    const conversions = days.map((d) => (byDay[d] ? byDay[d].conversions : 0));
    const W = 720, H = 180, P = 28;
    const max = Math.max(1, ...clicks, ...conversions);
    const x = (i) => P + (i * (W - 2 * P)) / (days.length - 1);
    const y = (v) => H - P - (v * (H - 2 * P)) / max;
    const line = (values) => values.map((v, i) => x(i).toFixed(1) + ',' + y(v).toFixed(1)).join(' ');
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    svg.setAttribute('width', W);
    svg.setAttribute('height', H);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'Clicks and conversions per day, last 30 days');
    const add = (tag, attrs, text) => {
      const e = document.createElementNS(ns, tag);
      Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, v));
      if (text) e.textContent = text;
      svg.appendChild(e);
    };
    add('line', { x1: P, y1: H - P, x2: W - P, y2: H - P, stroke: '#999' });
    add('text', { x: 2, y: y(max) + 4 }, String(max));
    add('text', { x: 2, y: H - P + 4 }, '0');
    add('text', { x: P, y: H - 8 }, days[0]);
    add('text', { x: W - P - 60, y: H - 8 }, days[days.length - 1]);
    add('polyline', { points: line(clicks), fill: 'none', stroke: '#2563eb', 'stroke-width': 2, 'data-series': 'clicks' });
    add('polyline', { points: line(conversions), fill: 'none', stroke: '#16a34a', 'stroke-width': 2, 'data-series': 'conversions' });
    add('text', { x: W - 180, y: 14, fill: '#2563eb' }, '■ clicks');
    add('text', { x: W - 100, y: 14, fill: '#16a34a' }, '■ conversions');
    $('chart').textContent = '';
    $('chart').appendChild(svg);
  }

  function reportQuery() {
    const groups = [...document.querySelectorAll('#groups input:checked')].map((i) => i.value);
    const metrics = [...document.querySelectorAll('#metrics input:checked')].map((i) => i.value);
    const params = new URLSearchParams();
    params.set('metrics', metrics.join(','));
    if (groups.length) params.set('groupBy', groups.join(','));
    params.set('from', $('from').value);
    params.set('to', $('to').value);
    const value = $('filter-value').value.trim();
    if ($('filter-dim').value && value) params.set('filter.' + $('filter-dim').value, value);
    return params;
  }

  function renderTable(target, columns, data) {
    const table = el('table');
    const head = el('tr');
    columns.forEach((c) => head.appendChild(el('th', {}, c)));
    table.appendChild(head);
    data.forEach((row) => {
      const tr = el('tr');
      row.forEach((v) => tr.appendChild(el('td', typeof v === 'number' ? { class: 'num' } : {}, v === null ? '' : String(v))));
      table.appendChild(tr);
    });
    target.textContent = '';
    target.appendChild(table);
  }

  async function runReport(event) {
    if (event) event.preventDefault();
    $('report-error').textContent = '';
    try {
      const t = await api('/api/v1/reports?' + reportQuery() + '&pageSize=1000');
      renderTable($('report-table'), t.columns, t.rows);
    } catch (e) {
      $('report-error').textContent = e.message;
    }
  }

  async function downloadCsv() {
    $('report-error').textContent = '';
    try {
      const csv = await api('/api/v1/reports?' + reportQuery(), 'text/csv');
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const a = el('a', { href: url, download: 'affnet-report.csv' });
      document.body.appendChild(a);
      a.click();
      a.remove();
      $('csv-status').textContent = 'downloaded ' + (csv.trim().split(/\r?\n/).length - 1) + ' rows';
      $('csv-status').dataset.csv = csv;
    } catch (e) {
      $('report-error').textContent = e.message;
    }
  }

  async function conversionLog(more) {
    const params = new URLSearchParams({ pageSize: '50' });
    const value = $('log-value').value.trim();
    if (value) params.set('filter.' + $('log-field').value, value);
    if (more && logCursor) params.set('cursor', logCursor);
    const page = await api('/api/v1/reports/conversions?' + params);
    const columns = ['time', 'kind', 'status', 'rejection_reason', 'click_id', 'transaction_id', 'offer', 'affiliate', 'goal',
      'revenue', 'payout', 'currency', 'country', 'sub1'];
    const data = page.items.map((i) => columns.map((c) => i[c]));
    if (more) {
      const body = $('log-table').querySelector('table');
      data.forEach((row) => {
        const tr = el('tr');
        row.forEach((v) => tr.appendChild(el('td', {}, v === null ? '' : String(v))));
        body.appendChild(tr);
      });
    } else {
      renderTable($('log-table'), columns, data);
    }
    logCursor = page.next;
    $('log-more').hidden = !logCursor;
  }

  function setUp() {
    DIMENSIONS.forEach((d) => {
      const label = el('label');
      const box = el('input', { type: 'checkbox', value: d, name: 'group' });
      if (d === 'day') box.checked = true;
      label.appendChild(box);
      label.appendChild(document.createTextNode(' ' + d));
      $('groups').appendChild(label);
      if (!['day', 'week', 'month', 'hour'].includes(d)) $('filter-dim').appendChild(el('option', { value: d }, d));
    });
    $('filter-dim').insertBefore(el('option', { value: '' }, '(none)'), $('filter-dim').firstChild);
    $('filter-dim').value = '';
    METRICS.forEach((m) => {
      const label = el('label');
      const box = el('input', { type: 'checkbox', value: m, name: 'metric' });
      if (['clicks', 'conversions', 'revenue', 'payout', 'profit'].includes(m)) box.checked = true;
      label.appendChild(box);
      label.appendChild(document.createTextNode(' ' + m));
      $('metrics').appendChild(label);
    });
    $('signin-form').addEventListener('submit', (e) => { e.preventDefault(); signIn($('key').value.trim()); });
    $('signout').addEventListener('click', () => { sessionStorage.removeItem(KEY); location.reload(); });
    $('report-form').addEventListener('submit', runReport);
    $('csv-download').addEventListener('click', downloadCsv);
    $('log-form').addEventListener('submit', (e) => { e.preventDefault(); conversionLog(false); });
    $('log-more').addEventListener('click', () => conversionLog(true));
    if (key()) signIn(key());
  }

  setUp();
}());
