// Polls the configuration API's dashboard state and redraws the page from it. Plain ES modules, no framework:
// the page is a handful of tables and cards, and the jar must serve it with no network beyond this API.
import { latest, sparkline } from './charts.js';

// Beside the page, without the credentials a page address may carry (user:password@), which fetch refuses: the
// browser sends the ones it signed in with.
const STATE = `${window.location.origin}${window.location.pathname.replace(/[^/]*$/, '')}state.json`;
const POLL_MILLIS = 2000;
const SEARCH_PAUSE_MILLIS = 250;
const NUMBER = new Intl.NumberFormat('en-US');

// The page of services wanted: the server lists only those, so a table of 100,000 services costs what a page costs.
const wanted = { search: '', sort: 'name', from: 0, limit: 0 };
// Counts the polls: the answer to a poll that another followed (the page wanted changed meanwhile) is dropped.
let polls = 0;
let nextPoll;

/** An element with attributes and children; strings become text nodes, never HTML. */
function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  Object.entries(attributes).forEach(([name, value]) => {
    if (value !== undefined && value !== null && value !== false) {
      element.setAttribute(name, value === true ? '' : value);
    }
  });
  children.flat().forEach((child) => element.append(child instanceof Node ? child : String(child)));
  return element;
}

function replace(id, ...children) {
  document.getElementById(id).replaceChildren(...children.flat());
}

function keyValues(map) {
  const entries = Object.entries(map || {});
  if (entries.length === 0) {
    return el('span', { class: 'muted' }, '–');
  }
  return el('ul', { class: 'pairs' }, entries.map(([key, value]) => el('li', {},
    el('code', {}, key), ' ', typeof value === 'object' ? JSON.stringify(value) : String(value))));
}

const SOURCES = { api: 'API', labels: 'labels', environment: 'environment' };

function routeRow(route) {
  return el('tr', { 'data-route': route.service },
    el('td', {}, route.service),
    el('td', {}, route.hosts.length ? route.hosts.join(' ') : el('span', { class: 'muted' }, 'any')),
    el('td', {}, route.paths.length ? route.paths.join(' ') : el('span', { class: 'muted' }, '–')),
    el('td', {}, route.srcPort ? `${route.srcPort} → ${route.port}` : String(route.port)),
    el('td', {}, route.mode),
    el('td', {}, keyValues(route.rules)),
    el('td', {}, keyValues(route.policies)),
    el('td', {}, el('span', { class: `badge source-${route.source}` }, SOURCES[route.source] || route.source)));
}

function number(value, digits) {
  return value === null ? '–' : value.toFixed(digits);
}

function chart(title, values, format, slots, className) {
  return el('figure', { class: 'chart' },
    el('figcaption', {}, title, ' ', el('strong', {}, format(latest(values || [])))),
    sparkline(values || [], { slots, className }));
}

function taskRow(task) {
  const health = task.healthy ? 'healthy' : 'unhealthy';
  return el('tr', { 'data-task': task.address, 'data-healthy': String(task.healthy) },
    el('td', {}, el('code', {}, task.address)),
    el('td', {}, el('span', { class: `badge ${health}` }, health)),
    el('td', { class: 'number' }, String(task.inFlight)),
    el('td', { class: 'number' }, String(task.pooled)));
}

function serviceCard(service, slots) {
  const tasks = service.taskBalanced
    ? el('table', { class: 'tasks' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Task'), el('th', {}, 'Health'), el('th', {}, 'In flight'),
        el('th', {}, 'Pooled'))),
      el('tbody', {}, service.tasks.length ? service.tasks.map(taskRow)
        : el('tr', {}, el('td', { colspan: 4, class: 'muted' }, 'no task known yet (tasks are listed once requested)'))))
    : el('p', { class: 'muted' }, 'Sent to the service address (its VIP): Swarm balances its tasks.');
  return el('article', { class: 'card', 'data-service': service.name },
    el('h3', {}, service.name, ' ', el('span', { class: `badge source-${service.source}` },
      SOURCES[service.source] || service.source)),
    el('p', { class: 'muted' }, `${service.requests ?? 0} requests, ${service.ejections ?? 0} task ejections`),
    el('div', { class: 'charts' },
      chart('req/s', service.rps, (v) => number(v, 1), slots),
      chart('5xx', service.errorRatio, (v) => (v === null ? '–' : `${(v * 100).toFixed(1)} %`), slots, 'errors'),
      chart('p50 ms', service.p50Millis, (v) => number(v, 1), slots),
      chart('p99 ms', service.p99Millis, (v) => number(v, 1), slots)),
    tasks);
}

function certificateRow(certificate) {
  const soon = certificate.daysLeft < 14;
  return el('tr', { 'data-certificate': certificate.name },
    el('td', {}, certificate.name),
    el('td', {}, certificate.domains.join(' ')),
    el('td', { class: soon ? 'warning' : '' }, `${certificate.notAfter.slice(0, 10)} (${certificate.daysLeft} days)`),
    el('td', {}, certificate.source));
}

function replicas(view) {
  if (view.problem) {
    return el('p', { class: 'muted' }, `One replica. ${view.problem}`);
  }
  return [
    el('p', {}, el('span', { class: `badge ${view.agree ? 'healthy' : 'unhealthy'}` },
      view.agree ? 'versions agree' : 'versions differ'), ` ${view.list.length} replica(s) of ${view.name}`),
    el('table', {}, el('tbody', {}, view.list.map((replica) => el('tr', {},
      el('td', {}, el('code', {}, replica.address)),
      el('td', {}, replica.version ? el('code', {}, replica.version.slice(0, 19)) : 'no answer'),
      el('td', {}, replica.agrees ? 'same' : 'different'))))),
  ];
}

function when(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : 'never';
}

function discovery(state) {
  if (!state.on) {
    return el('p', { class: 'muted' }, 'Off: no swarm manager answered, or DISCOVERY=off. Routes come from the API '
      + 'and the environment.');
  }
  return [
    el('p', {}, el('span', { class: `badge ${state.engineAnswers ? 'healthy' : 'unhealthy'}` },
      state.engineAnswers ? 'engine answers' : 'engine unreachable'), ' ', el('code', {}, state.dockerHost)),
    el('p', { class: 'muted' }, `Last listing ${when(state.lastListing)}, last event ${when(state.lastEvent)}`),
    state.quarantined.length === 0 ? el('p', { class: 'muted' }, 'No service quarantined.')
      : el('table', { class: 'quarantine' }, el('tbody', {}, state.quarantined.map((q) => el('tr', {},
        el('td', {}, q.service), el('td', {}, q.reason))))),
  ];
}

function pager(page) {
  wanted.limit = page.limit;
  const last = Math.min(page.from + page.limit, page.matching);
  const of = page.search ? `${NUMBER.format(page.matching)} matching` : NUMBER.format(page.matching);
  replace('shown', page.matching === 0 ? '' : `${NUMBER.format(page.from + 1)}–${NUMBER.format(last)} of ${of}`);
  document.getElementById('previous').disabled = page.from === 0;
  document.getElementById('next').disabled = last >= page.matching;
}

function noService(state) {
  return el('p', { class: 'muted' }, state.page.search
    ? `No service, host or path contains “${state.page.search}”.` : 'No service yet.');
}

function render(state) {
  replace('status', `${NUMBER.format(state.totals.services)} service(s), ${NUMBER.format(state.totals.routes)} `
    + 'route(s) · version ', el('code', {}, state.version.slice(0, 19)), ` · updated ${when(state.time)}`);
  pager(state.page);
  replace('services', state.services.length ? state.services.map((s) => serviceCard(s, state.samples.points))
    : noService(state));
  replace('routes', state.routes.map(routeRow));
  replace('certificates', state.certificates.length ? state.certificates.map(certificateRow)
    : el('tr', {}, el('td', { colspan: 4, class: 'muted' }, 'none (the self-signed default answers)')));
  replace('replicas', replicas(state.replicas));
  replace('discovery', discovery(state.discovery));
}

function problem(message) {
  const banner = document.getElementById('problem');
  banner.hidden = !message;
  banner.textContent = message || '';
}

/** The page wanted, as the state's parameters; also the page's address fragment, so a reload or a link keeps it. */
function wantedQuery() {
  const query = new URLSearchParams();
  if (wanted.search) {
    query.set('search', wanted.search);
  }
  if (wanted.sort !== 'name') {
    query.set('sort', wanted.sort);
  }
  if (wanted.from > 0) {
    query.set('from', String(wanted.from));
  }
  return query.toString();
}

function stateAddress() {
  const query = wantedQuery();
  return query ? `${STATE}?${query}` : STATE;
}

async function poll() {
  clearTimeout(nextPoll);
  polls += 1;
  const asked = polls;
  try {
    const response = await fetch(stateAddress(), { cache: 'no-store' });
    const state = response.ok ? await response.json() : null;
    if (asked !== polls) {
      return;
    }
    if (!state) {
      problem(`The API answered ${response.status}; retrying.`);
    } else if (state.page.from > 0 && state.page.from >= state.page.matching) {
      // Services went while a later page was shown: show the last page there is.
      show(Math.max(0, Math.ceil(state.page.matching / state.page.limit) - 1) * state.page.limit);
      return;
    } else {
      render(state);
      problem('');
    }
  } catch (e) {
    if (asked !== polls) {
      return;
    }
    problem(`Cannot reach the API (${e.message}); retrying.`);
  }
  nextPoll = setTimeout(poll, POLL_MILLIS);
}

function show(from) {
  wanted.from = from;
  const query = wantedQuery();
  window.history.replaceState(null, '', query ? `#${query}` : window.location.pathname);
  poll();
}

/** Takes the page wanted from the address fragment, leaving out what the page's own controls could not choose. */
function readFragment() {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const search = document.getElementById('search');
  const sort = document.getElementById('sort');
  search.value = (fragment.get('search') || '').slice(0, search.maxLength);
  wanted.search = search.value.trim();
  const sorts = Array.from(sort.options, (option) => option.value);
  wanted.sort = sorts.includes(fragment.get('sort')) ? fragment.get('sort') : 'name';
  sort.value = wanted.sort;
  const from = Number(fragment.get('from'));
  wanted.from = Number.isInteger(from) && from > 0 ? from : 0;
}

let searchPause;
document.getElementById('search').addEventListener('input', (event) => {
  clearTimeout(searchPause);
  searchPause = setTimeout(() => {
    wanted.search = event.target.value.trim();
    show(0);
  }, SEARCH_PAUSE_MILLIS);
});
document.getElementById('sort').addEventListener('change', (event) => {
  wanted.sort = event.target.value;
  show(0);
});
document.getElementById('previous').addEventListener('click', () => show(Math.max(0, wanted.from - wanted.limit)));
document.getElementById('next').addEventListener('click', () => show(wanted.from + wanted.limit));
window.addEventListener('hashchange', () => {
  readFragment();
  poll();
});

readFragment();
poll();
