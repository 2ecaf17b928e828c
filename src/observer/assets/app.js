// The observer page: plain browser JavaScript, no framework, nothing loaded from elsewhere.
// Data comes from api/ (with the token from this page's address) and live over server-sent events.
'use strict';
(() => {
  const token = new URLSearchParams(location.search).get('token') || '';
  const $ = (sel) => document.querySelector(sel);
  const el = (tag, props = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === 'class') e.className = v;
      else if (k.startsWith('data-')) e.setAttribute(k, v);
      else e[k] = v;
    }
    for (const c of children) if (c !== undefined && c !== null) e.append(c);
    return e;
  };
  const api = async (path, init = {}) => {
    const res = await fetch(`api/${path}`, { ...init, headers: { 'x-observer-token': token } });
    const type = res.headers.get('content-type') || '';
    const body = type.includes('json') ? await res.json() : await res.text();
    if (!res.ok) throw new Error(body && body.error ? `${res.status}: ${body.error}` : `${res.status}`);
    return body;
  };
  const pidLink = (pid) => (pid ? el('a', { class: 'pid', href: `#/process/${encodeURIComponent(pid)}`, textContent: pid }) : el('span', { class: 'muted', textContent: 'not running' }));
  const act = async (pid, action) => {
    try {
      await api(`process/${encodeURIComponent(pid)}/${action}`, { method: 'POST' });
    } catch (e) {
      alert(`${action} ${pid}: ${e.message}`);
    }
  };

  // ---- tree -----------------------------------------------------------------------------
  const renderNode = (n) => {
    const row = el('div', { class: 'row' },
      el('span', { class: 'id', textContent: n.id === undefined ? '(no id)' : n.id }),
      pidLink(n.pid),
      el('span', { class: `badge ${n.kind || n.type}`, textContent: n.kind === 'dynamic' ? 'dynamic supervisor' : n.type }),
      n.restarts === undefined ? null : el('span', { class: `restarts${n.restarts > 0 ? ' some' : ''}`, textContent: `restarts: ${n.restarts}` }),
      n.lastExit === undefined ? null : el('span', { class: 'muted last-exit', textContent: `last exit: ${n.lastExit}` }),
      n.pid ? el('button', { type: 'button', class: 'danger kill', textContent: 'kill', onclick: () => act(n.pid, 'kill') }) : null,
      n.pid && n.restartable ? el('button', { type: 'button', class: 'restart', textContent: 'restart', onclick: () => act(n.pid, 'restart') }) : null);
    const li = el('li', { class: 'node', 'data-id': n.id === undefined ? '' : n.id, 'data-pid': n.pid || '' }, row);
    if (n.children && n.children.length > 0) li.append(el('ul', {}, ...n.children.map(renderNode)));
    return li;
  };
  const renderTrees = (trees) => {
    $('#trees').replaceChildren(...trees.map((t) => el('div', { class: 'tree', 'data-root': t.label },
      el('div', { class: 'row' }, el('strong', { textContent: t.label }), ' ', pidLink(t.pid)),
      el('ul', {}, ...t.children.map(renderNode)))));
  };
  $('#mermaid-show').onclick = async () => {
    const text = await api('mermaid');
    $('#mermaid-text').value = text;
    $('#mermaid-download').href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    $('#mermaid').hidden = false;
  };

  // ---- process table --------------------------------------------------------------------
  const table = { filter: '', sort: 'pid', dir: 'asc', offset: 0, limit: 50, matched: 0 };
  let tableTimer;
  const loadTable = async () => {
    const q = new URLSearchParams({ filter: table.filter, sort: table.sort, dir: table.dir, offset: String(table.offset), limit: String(table.limit) });
    const page = await api(`processes?${q}`);
    table.matched = page.matched;
    $('#table tbody').replaceChildren(...page.rows.map((r) => el('tr', { 'data-pid': r.pid },
      el('td', {}, pidLink(r.pid)), el('td', { textContent: r.name || '' }), el('td', { textContent: r.behaviour }),
      el('td', { textContent: r.status }), el('td', { textContent: String(r.messageQueueLen) }),
      el('td', { textContent: String(r.links) }), el('td', { textContent: String(r.monitors) }))));
    const last = Math.min(page.offset + page.rows.length, page.matched);
    $('#count').textContent = `${page.matched === 0 ? 0 : page.offset + 1}–${last} of ${page.matched} (${page.total} processes)`;
    $('#prev').disabled = page.offset === 0;
    $('#next').disabled = last >= page.matched;
    for (const th of document.querySelectorAll('#table th')) th.className = th.dataset.sort === table.sort ? `sorted ${table.dir}` : '';
  };
  $('#filter').oninput = () => {
    clearTimeout(tableTimer);
    tableTimer = setTimeout(() => { table.filter = $('#filter').value; table.offset = 0; loadTable(); }, 150);
  };
  $('#prev').onclick = () => { table.offset = Math.max(0, table.offset - table.limit); loadTable(); };
  $('#next').onclick = () => { table.offset += table.limit; loadTable(); };
  for (const th of document.querySelectorAll('#table th')) {
    th.onclick = () => {
      table.dir = table.sort === th.dataset.sort && table.dir === 'asc' ? 'desc' : 'asc';
      table.sort = th.dataset.sort;
      loadTable();
    };
  }

  // ---- timeline -------------------------------------------------------------------------
  const events = [];
  let chart;
  const WINDOW = 120;
  const chartData = () => {
    const now = Math.floor(Date.now() / 1000);
    const xs = [], crashes = [], restarts = [];
    for (let t = now - WINDOW + 1; t <= now; t++) { xs.push(t); crashes.push(0); restarts.push(0); }
    for (const e of events) {
      const i = Math.floor(e.at / 1000) - (now - WINDOW + 1);
      if (i >= 0 && i < WINDOW) (e.kind === 'crash' ? crashes : restarts)[i]++;
    }
    return [xs, crashes, restarts];
  };
  const drawChart = () => {
    if ($('#view-timeline').hidden) return;
    const data = chartData();
    if (chart === undefined) {
      const width = Math.max(400, $('#chart').clientWidth || 800);
      chart = new uPlot({
        width, height: 240,
        series: [{}, { label: 'crashes', stroke: '#c0362c', fill: 'rgba(192,54,44,.15)', paths: uPlot.paths.bars({ size: [0.6] }) },
          { label: 'restarts', stroke: '#2e5bff', fill: 'rgba(46,91,255,.15)', paths: uPlot.paths.bars({ size: [0.3] }) }],
        axes: [{}, { label: 'per second' }],
        scales: { y: { range: (_u, _min, max) => [0, Math.max(2, max)] } },
      }, data, $('#chart'));
    } else chart.setData(data);
  };
  const addEvents = (list) => {
    for (const e of list) {
      events.push(e);
      $('#events').prepend(el('li', { class: e.kind, textContent: `${new Date(e.at).toLocaleTimeString()} ${e.kind} ${e.pid}${e.place ? ` at ${e.place}` : ''}${e.reason ? `: ${e.reason}` : ''}` }));
    }
    if (events.length > 1000) events.splice(0, events.length - 1000);
    drawChart();
  };

  // ---- process page ---------------------------------------------------------------------
  let current;
  const loadProcess = async (pid) => {
    current = pid;
    $('#p-pid').textContent = pid;
    $('#p-log').replaceChildren();
    try {
      const p = await api(`process/${encodeURIComponent(pid)}`);
      if (current !== pid) return;
      $('#p-error').hidden = true;
      $('#p-name').textContent = p.info.registeredName ? `(${p.info.registeredName})` : '';
      const links = (xs) => (xs.length === 0 ? el('span', { class: 'muted', textContent: 'none' }) : el('span', {}, ...xs.flatMap((x, i) => [i > 0 ? ', ' : null, typeof x === 'string' ? pidLink(x) : x.pid ? pidLink(x.pid) : el('span', { textContent: x.name })])));
      const rows = [['status', p.info.status], ['registered name', p.info.registeredName || '—'], ['message queue', String(p.info.messageQueueLen)],
        ['trap exit', String(p.info.trapExit)], ['links', links(p.info.links)], ['monitors', links(p.info.monitors)], ['monitored by', links(p.info.monitoredBy)],
        ['supervised', p.place ? `as ${p.place.id}` : '—']];
      $('#p-info tbody').replaceChildren(...rows.map(([k, v]) => el('tr', {}, el('th', { textContent: k }), el('td', {}, v))));
      const s = p.status;
      $('#p-state').replaceChildren(s.kind === 'none' ? 'not a GenServer: no state to show' : s.text, s.truncated ? el('span', { class: 'truncated', textContent: '\n… (truncated)' }) : '');
      $('#p-restart').disabled = !(p.place && p.place.restartable);
      setTracing(p.tracing);
      $('#p-trace').disabled = s.kind === 'none';
    } catch (e) {
      $('#p-error').textContent = e.message;
      $('#p-error').hidden = false;
    }
  };
  const setTracing = (on) => {
    $('#p-trace').textContent = `Trace messages: ${on ? 'on' : 'off'}`;
    $('#p-trace').classList.toggle('on', on);
    $('#p-trace').dataset.on = String(on);
  };
  $('#p-kill').onclick = () => act(current, 'kill');
  $('#p-restart').onclick = () => act(current, 'restart');
  $('#p-trace').onclick = async () => {
    const on = $('#p-trace').dataset.on !== 'true';
    try {
      const r = await api(`process/${encodeURIComponent(current)}/trace?on=${on}`, { method: 'POST' });
      setTracing(r.tracing);
    } catch (e) {
      alert(e.message);
    }
  };

  // ---- routing and live updates ---------------------------------------------------------
  const show = () => {
    const [, view = 'tree', arg] = location.hash.split('/');
    for (const s of document.querySelectorAll('main > section')) s.hidden = s.id !== `view-${view}`;
    for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.view === view);
    if (view === 'processes') loadTable();
    if (view === 'timeline') drawChart();
    if (view === 'process' && arg) loadProcess(decodeURIComponent(arg));
  };
  window.addEventListener('hashchange', show);
  setInterval(() => {
    if (!$('#view-processes').hidden) loadTable();
    drawChart();
  }, 2000);

  const live = new EventSource(`api/events?token=${encodeURIComponent(token)}`);
  live.onopen = () => { $('#live').className = 'on'; $('#live').textContent = 'live'; };
  live.onerror = () => { $('#live').className = 'off'; $('#live').textContent = 'offline'; };
  live.addEventListener('tree', (e) => renderTrees(JSON.parse(e.data)));
  live.addEventListener('timeline', (e) => addEvents(JSON.parse(e.data)));
  live.addEventListener('stats', (e) => { $('#stats').textContent = `${JSON.parse(e.data).processes} processes`; });
  live.addEventListener('trace', (e) => {
    const t = JSON.parse(e.data);
    if (t.pid !== current) return;
    $('#p-log').append(el('li', { textContent: `${new Date(t.at).toLocaleTimeString()} ${t.kind} ${t.text}${t.truncated ? ' …' : ''}` }));
  });
  api('timeline').then(addEvents, () => {});
  show();
})();
