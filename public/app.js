// A small client of the public JSON API and the /ws progress socket; no build step. Served as
// a file (no inline script) so the Content-Security-Policy can forbid inline code.
const $ = (sel) => document.querySelector(sel);
const esc = (s) =>
  String(s ?? '').replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c],
  );
// AUTH_MODE=api-key: the key is asked for on the first 401 and kept for this tab only.
const apiKey = () => sessionStorage.getItem('pcs-api-key');
const api = async (path, init = {}) => {
  const headers = { ...init.headers };
  if (apiKey()) headers.authorization = 'Bearer ' + apiKey();
  const res = await fetch(path, { ...init, headers });
  if (res.status === 401 && !init.retried) {
    const key = prompt('API key (npm run keys -- create --name me --role viewer)');
    if (key) {
      sessionStorage.setItem('pcs-api-key', key.trim());
      return api(path, { ...init, retried: true });
    }
  }
  const body = res.status === 204 ? null : await res.json();
  if (!res.ok) throw new Error(body?.error?.message ?? res.statusText);
  return body;
};
let models = [];

async function loadCards() {
  const q = $('#search').value.trim();
  const page = await api('/api/prompt-cards?limit=100' + (q ? '&q=' + encodeURIComponent(q) : ''));
  $('#cards').innerHTML = page.items
    .map(
      (c) =>
        `<li class="card" data-id="${c.id}"><div>${esc(c.title)}</div>${c.tags.map((t) => `<span class="tag">${esc(t)}</span>`).join('')} <small>${c.test_case_count} test${c.test_case_count === 1 ? '' : 's'}</small></li>`,
    )
    .join('');
  for (const li of document.querySelectorAll('li.card')) li.onclick = () => showCard(li.dataset.id);
}

async function showCard(id) {
  for (const li of document.querySelectorAll('li.card'))
    li.classList.toggle('active', li.dataset.id === id);
  const [card, cases] = await Promise.all([
    api('/api/prompt-cards/' + id),
    api(`/api/prompt-cards/${id}/test-cases?limit=100`),
  ]);
  const options = models
    .map(
      (m) =>
        `<label><input type="checkbox" value="${esc(m.id)}" ${m.id === 'simulated:fast' ? 'checked' : ''}/> ${esc(m.id)} ${m.simulated ? '<span class="sim">simulated</span>' : ''}</label>`,
    )
    .join('<br/>');
  $('#detail').innerHTML = `
    <h2>${esc(card.title)}</h2><p>${esc(card.description)}</p>
    <pre>${esc(card.prompt_template)}</pre>
    <h3>Test cases (${cases.total})</h3>
    <ul>${cases.items.map((t) => `<li>• ${esc(t.name)} — ${t.assertions.map((a) => esc(a.type)).join(', ') || 'no assertions'}</li>`).join('')}</ul>
    <h3>Run</h3><div>${options || 'No model available.'}</div>
    <p><button id="run">Run against selected models</button></p>
    <div id="run-view"></div>`;
  $('#run').onclick = () => startRun(id);
}

async function startRun(cardId) {
  const chosen = [...document.querySelectorAll('#detail input[type=checkbox]:checked')].map(
    (i) => i.value,
  );
  try {
    const run = await api(`/api/prompt-cards/${cardId}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ models: chosen }),
    });
    followRun(run);
  } catch (error) {
    $('#run-view').innerHTML = `<p class="fail">${esc(error.message)}</p>`;
  }
}

function followRun(run) {
  const rows = [];
  const socket = new WebSocket(location.origin.replace('http', 'ws') + '/ws');
  socket.onopen = () => {
    if (apiKey()) socket.send(JSON.stringify({ type: 'auth', token: apiKey() }));
    socket.send(JSON.stringify({ type: 'subscribe', run_id: run.id }));
  };
  socket.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.type === 'result') rows.push(event.result);
    if (event.run) run = event.run;
    render(run, rows);
    if (event.type === 'run.finished') socket.close();
  };
}

function render(run, rows) {
  const p = run.progress;
  const summary = run.summary
    .map(
      (s) =>
        `<tr><td>${esc(s.model)} ${s.simulated ? '<span class="sim">simulated</span>' : ''}</td><td>${s.pass_rate === null ? '–' : (s.pass_rate * 100).toFixed(0) + '%'}</td><td>${s.mean_score?.toFixed(2) ?? '–'}</td><td>${s.latency_ms.p50?.toFixed(0) ?? '–'} / ${s.latency_ms.p95?.toFixed(0) ?? '–'} ms</td><td>${s.tokens.input ?? 'unknown'} / ${s.tokens.output ?? 'unknown'}${s.tokens_complete ? '' : ' (incomplete)'}</td><td>${s.cost_usd === null ? 'unknown' : '$' + s.cost_usd.toFixed(5)}</td></tr>`,
    )
    .join('');
  const results = rows
    .map(
      (r) =>
        `<tr><td>${esc(r.model)}</td><td class="${r.error ? 'err' : r.passed ? 'pass' : 'fail'}">${r.error ? esc(r.error.type) : r.passed ? 'pass' : 'fail'}</td><td>${r.score.toFixed(2)}</td><td><pre>${esc(r.output ?? r.error?.message)}</pre></td></tr>`,
    )
    .join('');
  $('#run-view').innerHTML = `
    <p>Run <code>${run.id}</code>: <strong>${run.status}</strong> — ${p.completed}/${p.total} (${p.passed} passed, ${p.failed} failed, ${p.errored} errors, ${p.not_judged} not judged)</p>
    <progress max="${p.total}" value="${p.completed}"></progress>
    <table><tr><th>model</th><th>pass rate</th><th>score</th><th>p50 / p95</th><th>tokens in / out</th><th>cost</th></tr>${summary}</table>
    <h4>Results</h4><table><tr><th>model</th><th>outcome</th><th>score</th><th>output</th></tr>${results}</table>`;
}

async function init() {
  const listed = await api('/api/models');
  models = listed.providers.flatMap((p) =>
    p.models
      .filter((m) => !/:(embed|grader)$/.test(m))
      .map((id) => ({ id, simulated: p.simulated })),
  );
  $('#search').oninput = () => void loadCards();
  await loadCards();
}
void init();
