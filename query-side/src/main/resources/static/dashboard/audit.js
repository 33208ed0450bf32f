// The audit page: plain JS over the audit API (docs/audit.md), no build step. A separate page from the
// console, usable with an auditor's key: history browser (filters, cursor paging, NDJSON export), state
// at an instant (with the live comparison at now) and the chain verifier. The key lives in sessionStorage.
(function () {
  'use strict';
  const KEY = 'affnet.audit.key';
  const TENANT = 'affnet.audit.tenant';
  const $ = (id) => document.getElementById(id);
  let cursor = null;

  function key() { return sessionStorage.getItem(KEY); }

  /** The operator names the tenant it reads; everyone else reads their own. */
  function withTenant(params) {
    const tenant = sessionStorage.getItem(TENANT);
    if (tenant) params.set('tenantId', tenant);
    return params;
  }

  async function api(path, params, accept) {
    const response = await fetch(path + '?' + withTenant(params || new URLSearchParams()).toString(),
      { headers: { 'Authorization': 'Bearer ' + key(), 'Accept': accept || 'application/json' } });
    if (!response.ok) {
      let detail = response.status + ' ' + response.statusText;
      try { detail = (await response.json()).detail || detail; } catch (e) { /* not JSON */ }
      throw new Error(detail);
    }
    return accept === 'application/x-ndjson' ? response.blob() : response.json();
  }

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function table(columns, rows, onRow) {
    const t = el('table');
    const head = el('tr');
    columns.forEach((c) => head.appendChild(el('th', {}, c)));
    t.appendChild(head);
    rows.forEach((r) => {
      const tr = el('tr', onRow ? { class: 'event' } : {});
      r.forEach((v, i) => tr.appendChild(el('td', typeof v === 'number' ? { class: 'num' } : {}, v === null ? '' : String(v))));
      if (onRow) tr.addEventListener('click', () => onRow(r));
      t.appendChild(tr);
    });
    return t;
  }

  /** A datetime-local value (the browser's zone) as an ISO instant; empty when not set. */
  function instant(id) {
    const v = $(id).value;
    return v ? new Date(v).toISOString() : '';
  }

  async function signIn(candidate, tenant) {
    sessionStorage.setItem(KEY, candidate);
    if (tenant) sessionStorage.setItem(TENANT, tenant); else sessionStorage.removeItem(TENANT);
    try {
      const probe = await api('/api/v1/audit/events', new URLSearchParams({ limit: '1' }));
      $('who').textContent = 'tenant ' + probe.tenantId;
    } catch (e) {
      sessionStorage.removeItem(KEY);
      sessionStorage.removeItem(TENANT);
      $('signin-error').textContent = 'Sign-in failed: ' + e.message;
      return;
    }
    $('signin-error').textContent = '';
    $('signin-panel').hidden = true;
    $('app').hidden = false;
    $('signout').hidden = false;
    await history(false);
  }

  async function verify() {
    const out = $('verify-result');
    out.className = 'verdict';
    out.textContent = 'verifying…';
    try {
      const r = await api('/api/v1/audit/verify');
      out.textContent = r.line;
      out.className = 'verdict ' + (r.verified ? 'ok' : 'broken');
    } catch (e) {
      out.textContent = e.message;
      out.className = 'verdict broken';
    }
  }

  async function state() {
    $('state-error').textContent = '';
    const params = new URLSearchParams({ at: $('state-now').checked ? 'now' : instant('state-at') });
    if (!params.get('at')) { $('state-error').textContent = 'Pick an instant, or tick "now".'; return; }
    if ($('state-affiliate').value) params.set('affiliateId', $('state-affiliate').value.trim());
    if ($('state-offer').value) params.set('offerId', $('state-offer').value.trim());
    try {
      const r = await api('/api/v1/audit/state', params);
      let summary = 'Replayed ' + r.events + ' events up to ' + r.at + ' in ' + r.replayMillis + ' ms (' + r.replayEventsPerSecond
        + ' events/s), days in ' + r.zone + '.';
      if (r.live) summary += r.live.matches ? ' The live views match.' : ' The live views DIFFER:';
      $('state-summary').textContent = summary;
      $('state-differences').replaceChildren(r.live && !r.live.matches
        ? table(['figure', 'replayed', 'live'], r.live.differences.map((d) => [d.figure, d.replayed, d.live])) : el('span'));
      $('state-table').replaceChildren(table(['figure', 'value'], Object.entries(r.figures).map(([k, v]) => [k, v])));
    } catch (e) {
      $('state-error').textContent = e.message;
    }
  }

  function historyParams() {
    const params = new URLSearchParams({ limit: $('h-limit').value });
    const set = (name, value) => { if (value) params.set(name, value.trim()); };
    set('from', instant('h-from'));
    set('to', instant('h-to'));
    set('type', $('h-type').value);
    set('aggregateType', $('h-aggregate-type').value);
    set('aggregateId', $('h-aggregate-id').value);
    set('actor', $('h-actor').value);
    return params;
  }

  async function history(more) {
    $('history-error').textContent = '';
    const params = historyParams();
    if (more && cursor) params.set('after', cursor);
    try {
      const page = await api('/api/v1/audit/events', params);
      const rows = page.events.map((e) => [e.globalPosition, e.timestamp, e.type, e.aggregateType || '', e.aggregateId || '',
        (e.actor.role || '') + (e.actor.principalId ? ' ' + e.actor.principalId : ''), e.actor.via || '', e]);
      const shown = table(['position', 'time', 'type', 'aggregate', 'id', 'actor', 'via'], rows.map((r) => r.slice(0, 7)),
        (r) => {
          const event = page.events.find((e) => e.globalPosition === r[0]);
          $('history-detail').hidden = false;
          $('history-detail').textContent = JSON.stringify(event, null, 2);
        });
      if (more) {
        const existing = $('history-table').querySelector('table');
        if (existing) {
          shown.querySelectorAll('tr.event').forEach((tr) => existing.appendChild(tr));
        } else {
          $('history-table').replaceChildren(shown);
        }
      } else {
        $('history-table').replaceChildren(shown);
        $('history-detail').hidden = true;
      }
      cursor = page.nextCursor;
      $('h-more').hidden = !cursor;
    } catch (e) {
      $('history-error').textContent = e.message;
    }
  }

  async function exportNdjson() {
    $('history-error').textContent = '';
    const params = historyParams();
    params.delete('limit');
    try {
      const blob = await api('/api/v1/audit/events.ndjson', params, 'application/x-ndjson');
      const a = el('a', { href: URL.createObjectURL(blob), download: 'audit-events.ndjson' });
      document.body.appendChild(a);
      a.click();
      a.remove();
    } catch (e) {
      $('history-error').textContent = e.message;
    }
  }

  $('signin-form').addEventListener('submit', (e) => { e.preventDefault(); signIn($('key').value.trim(), $('tenant').value.trim()); });
  $('signout').addEventListener('click', () => { sessionStorage.removeItem(KEY); sessionStorage.removeItem(TENANT); location.reload(); });
  $('verify').addEventListener('click', verify);
  $('state-form').addEventListener('submit', (e) => { e.preventDefault(); state(); });
  $('history-form').addEventListener('submit', (e) => { e.preventDefault(); cursor = null; history(false); });
  $('h-more').addEventListener('click', () => history(true));
  $('h-export').addEventListener('click', exportNdjson);
  if (key()) signIn(key(), sessionStorage.getItem(TENANT));
})();
