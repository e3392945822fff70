// The console's shell: hash routes to pages, a refresh every few seconds, the admin token.
import { getJson } from './api.js';
import { fill, h } from './dom.js';
import { record } from './metrics-history.js';
import cluster from './pages/cluster.js';
import etcd from './pages/etcd.js';
import group from './pages/group.js';
import groups from './pages/groups.js';
import s3 from './pages/s3.js';
import throughput from './pages/throughput.js';
import topic from './pages/topic.js';
import topics from './pages/topics.js';

const REFRESH_MS = 3000;
const TOKEN_KEY = 'kafscale-admin-token';

const routes = [
  { pattern: /^cluster$/, page: cluster },
  { pattern: /^topics$/, page: topics },
  { pattern: /^topics\/(.+)$/, page: topic },
  { pattern: /^groups$/, page: groups },
  { pattern: /^groups\/(.+)$/, page: group },
  { pattern: /^throughput$/, page: throughput },
  { pattern: /^s3$/, page: s3 },
  { pattern: /^etcd$/, page: etcd },
];

const state = {
  info: null,
  metrics: null,
  mounted: null,
  busy: false,
  again: false,
  refreshes: 0,
};

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?', 2);
  return { path: path === '' ? 'cluster' : path, query: new URLSearchParams(query) };
}

function context(match, query) {
  return {
    info: state.info,
    params: match.slice(1).map((p) => decodeURIComponent(p)),
    query,
    metrics: () => state.metrics,
    navigate: (hash) => {
      location.hash = hash;
    },
    refreshNow: () => tick(),
  };
}

function mount() {
  const { path, query } = parseHash();
  const root = document.getElementById('page');
  let found = null;
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (m) {
      found = { page: r.page, match: m };
      break;
    }
  }
  root.removeAttribute('data-loaded');
  document.getElementById('page-error').hidden = true;
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', found !== null && a.dataset.page === found.page.nav);
  }
  if (found === null) {
    state.mounted = null;
    fill(root, h('h1', {}, 'Not found'), h('p', {}, `There is no page '${path}'.`));
    return;
  }
  document.title = `${found.page.title} · Kafscale console`;
  root.dataset.page = found.page.nav;
  fill(root);
  state.mounted = found.page.mount(root, context(found.match, query));
}

async function tick() {
  if (state.busy) {
    // A page mounted during a refresh gets one of its own right after.
    state.again = true;
    return;
  }
  state.busy = true;
  const status = document.getElementById('refresh-state');
  const root = document.getElementById('page');
  try {
    try {
      state.metrics = await getJson('metrics');
      record(state.metrics);
    } catch {
      state.metrics = null;
    }
    const mounted = state.mounted;
    if (mounted !== null) {
      const pageError = document.getElementById('page-error');
      try {
        await mounted.refresh();
        if (state.mounted === mounted) root.dataset.loaded = 'true';
        pageError.hidden = true;
      } catch (e) {
        // Shown above the page, which keeps what it last showed.
        pageError.textContent = e.message;
        pageError.hidden = false;
        throw e;
      }
    }
    state.refreshes++;
    document.body.dataset.refreshes = String(state.refreshes);
    status.textContent = `updated ${new Date().toLocaleTimeString()}`;
    status.className = 'muted';
  } catch (e) {
    status.textContent = `refresh failed: ${e.message}`;
    status.className = 'message error';
  } finally {
    state.busy = false;
  }
  if (state.again) {
    state.again = false;
    await tick();
  }
}

function setUpToken() {
  const box = document.getElementById('token-box');
  const input = document.getElementById('admin-token');
  box.hidden = !state.info.adminActions;
  input.value = sessionStorage.getItem(TOKEN_KEY) ?? '';
  input.addEventListener('change', () => {
    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
  });
}

async function start() {
  try {
    state.info = await getJson('console');
  } catch (e) {
    fill(document.getElementById('page'), h('p', { class: 'error-box' }, e.message));
    return;
  }
  setUpToken();
  const footer = document.getElementById('footer');
  footer.textContent =
    `Kafscale ${state.info.version} · ` +
    (state.info.adminActions ? 'admin actions enabled (token required)' : 'read-only') +
    ' · metrics: ' +
    (state.info.metricsSources.length === 0
      ? 'none configured (KAFSCALE_CONSOLE_BROKER_METRICS_URL)'
      : state.info.metricsSources.join(', '));
  window.addEventListener('hashchange', () => {
    mount();
    void tick();
  });
  mount();
  await tick();
  setInterval(() => void tick(), REFRESH_MS);
}

void start();
