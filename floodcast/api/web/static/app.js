// The operator page: sign in, draw each basin, follow the live stream, step through history.

import { HttpError, getJson, streamEvents } from "./api.js";
import { buildMap, legend, paintGauges, paintPath } from "./map.js";
import * as view from "./view.js";

const KEY_ITEM = "floodcast.apiKey"; // sessionStorage: this tab only, never in an address
const HISTORY_MS = 24 * 3600 * 1000;
const $ = (id) => document.getElementById(id);

const state = {
  key: null,
  model: null,
  networks: new Map(),
  svgs: new Map(),
  basin: null,
  history: new Map(), // basin -> predictions, oldest first
  step: new Map(), // basin -> index into history, or absent = live
  alerts: new Map(), // alert key -> latest transition
  status: null,
  connected: false,
  abort: null,
};

// Each repaint caused by a prediction, with the wall-clock time of the frame (for tests).
window.floodcastRenders = [];

const order = (p) => [Date.parse(p.watermark), Date.parse(p.issued_at)];
const before = (a, b) => { const [x, y] = [order(a), order(b)]; return x[0] - y[0] || x[1] - y[1]; };
const alertKey = (a) => `${a.kind}|${Object.keys(a.labels).sort().map((k) => `${k}=${a.labels[k]}`).join(",")}`;

// Keeps `p` in its basin's history; returns whether it is now the newest.
function addPrediction(p) {
  const list = state.history.get(p.basin_id) || [];
  let at = list.length;
  while (at > 0 && before(list[at - 1], p) > 0) at--;
  if (at > 0 && before(list[at - 1], p) === 0) return false;
  list.splice(at, 0, p);
  const oldest = Date.parse(list[list.length - 1].watermark) - HISTORY_MS;
  const step = state.step.get(p.basin_id);
  while (list.length && Date.parse(list[0].watermark) < oldest) {
    list.shift();
    if (step !== undefined) state.step.set(p.basin_id, Math.max(0, state.step.get(p.basin_id) - 1));
  }
  if (step !== undefined && at <= step) state.step.set(p.basin_id, state.step.get(p.basin_id) + 1);
  state.history.set(p.basin_id, list);
  return at === list.length - 1;
}

function shownIndex(basin) {
  const list = state.history.get(basin) || [];
  return state.step.has(basin) ? state.step.get(basin) : list.length - 1;
}

function shown(basin) {
  return (state.history.get(basin) || [])[shownIndex(basin)] || null;
}

function paintBasin(basin) {
  paintPath(state.svgs.get(basin), shown(basin));
  if (basin === state.basin) renderPathSide();
}

function renderPathSide() {
  const basin = state.basin;
  view.renderPath($("path-table").tBodies[0], $("path-meta"), $("path-caption"), shown(basin), state.model);
  const list = state.history.get(basin) || [];
  const range = $("history-range");
  range.max = String(Math.max(list.length - 1, 0));
  range.value = String(Math.max(shownIndex(basin), 0));
  range.disabled = list.length < 2;
  $("history-live").setAttribute("aria-pressed", String(!state.step.has(basin)));
  view.renderHistoryLabel($("history-label"), list, shownIndex(basin));
}

function renderStatus() {
  const gauges = state.status ? state.status.gauges : {};
  for (const svg of state.svgs.values()) paintGauges(svg, gauges);
  const network = state.networks.get(state.basin);
  if (network) view.renderGauges($("gauge-table").tBodies[0], network.gauges.map((g) => g.gauge_id), gauges);
  renderAlertsAndBanners();
}

function renderAlertsAndBanners() {
  const open = [...state.alerts.values()].filter((a) => a.state === "firing");
  open.sort((a, b) => Date.parse(a.since) - Date.parse(b.since));
  view.renderAlerts($("alert-list"), open);
  view.renderBanners($("banners"), { connected: state.connected, status: state.status, alerts: open });
}

function markRendered(p) {
  requestAnimationFrame(() => {
    window.floodcastRenders.push({ basin: p.basin_id, watermark: p.watermark, issued_at: p.issued_at, at: Date.now() });
  });
}

async function refreshModel(sha) {
  if (state.model && state.model.sha256 === sha) return;
  state.model = await getJson("/v1/model", state.key);
  $("model-line").textContent = `model: ${state.model.name} ${state.model.version} (${state.model.sha256.slice(0, 12)})`;
}

function onEvent(name, data) {
  if (name === "snapshot") {
    for (const p of Object.values(data.latest)) if (p) addPrediction(p);
    state.alerts = new Map(data.alerts.map((a) => [alertKey(a), a]));
    state.status = data.status;
    setConnected(true);
    for (const basin of state.svgs.keys()) paintBasin(basin);
    renderStatus();
  } else if (name === "prediction") {
    if (addPrediction(data) && !state.step.has(data.basin_id)) {
      paintBasin(data.basin_id);
      markRendered(data);
      refreshModel(data.model.sha256).catch(() => {});
    } else if (data.basin_id === state.basin) {
      renderPathSide();
    }
  } else if (name === "alert") {
    state.alerts.set(alertKey(data), data);
    renderAlertsAndBanners();
  } else if (name === "status") {
    state.status = data;
    renderStatus();
  }
}

function setConnected(connected) {
  state.connected = connected;
  $("connection").textContent = connected ? "live" : "reconnecting…";
  renderAlertsAndBanners();
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function follow(abort) {
  let delay = 1000;
  while (!abort.signal.aborted) {
    try {
      await streamEvents(state.key, onEvent, abort.signal);
      delay = 1000;
    } catch (error) {
      if (abort.signal.aborted) return;
      if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
        signOut(error.message);
        return;
      }
    }
    setConnected(false);
    await sleep(delay);
    delay = Math.min(delay * 2, 10000);
  }
}

function selectBasin(basin, focus = false) {
  state.basin = basin;
  for (const tab of $("basin-tabs").children) {
    const selected = tab.dataset.basin === basin;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    if (selected && focus) tab.focus();
  }
  for (const [id, svg] of state.svgs) svg.toggleAttribute("hidden", id !== basin);
  $("path-title").textContent = `Flood path — ${basin}`;
  renderPathSide();
  renderStatus();
}

function onTabKey(event) {
  const tabs = [...$("basin-tabs").children];
  const at = tabs.findIndex((t) => t.dataset.basin === state.basin);
  const moves = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: tabs.length - 1 };
  if (!(event.key in moves)) return;
  event.preventDefault();
  const next = tabs[(moves[event.key] + tabs.length) % tabs.length];
  selectBasin(next.dataset.basin, true);
}

function step(to) {
  const list = state.history.get(state.basin) || [];
  if (!list.length) return;
  const index = Math.min(Math.max(to, 0), list.length - 1);
  if (index === list.length - 1) state.step.delete(state.basin);
  else state.step.set(state.basin, index);
  paintBasin(state.basin);
}

function build(networks) {
  const tabs = $("basin-tabs");
  const maps = $("maps");
  tabs.replaceChildren();
  maps.replaceChildren();
  state.svgs.clear();
  for (const network of networks) {
    state.networks.set(network.basin_id, network);
    const tab = document.createElement("button");
    tab.type = "button";
    tab.role = "tab";
    tab.id = `tab-${network.basin_id}`;
    tab.dataset.basin = network.basin_id;
    tab.setAttribute("aria-controls", "main-panel");
    tab.textContent = `${network.basin_id} (${network.reaches.length} reaches)`;
    tab.addEventListener("click", () => selectBasin(network.basin_id));
    tabs.append(tab);
    const svg = buildMap(network);
    state.svgs.set(network.basin_id, svg);
    maps.append(svg);
    paintPath(svg, null);
  }
  $("legend").replaceChildren(...legend());
}

async function start(key) {
  state.key = key;
  const [model, networks] = await Promise.all([getJson("/v1/model", key), getJson("/v1/networks", key)]);
  sessionStorage.setItem(KEY_ITEM, key);
  state.model = model;
  $("model-line").textContent = `model: ${model.name} ${model.version} (${model.sha256.slice(0, 12)})`;
  build(networks);
  const histories = await Promise.all(networks.map((n) => getJson(`/v1/basins/${encodeURIComponent(n.basin_id)}/history`, key)));
  histories.flat().forEach(addPrediction);
  $("login").hidden = true;
  $("main").hidden = false;
  $("sign-out").hidden = false;
  selectBasin(networks[0].basin_id);
  for (const basin of state.svgs.keys()) paintBasin(basin);
  state.abort = new AbortController();
  setConnected(false);
  follow(state.abort);
}

function showLogin(message = "") {
  $("main").hidden = true;
  $("sign-out").hidden = true;
  $("banners").replaceChildren();
  $("login").hidden = false;
  $("login-error").textContent = message;
  $("connection").textContent = "not signed in";
  $("api-key").focus();
}

function signOut(message = "") {
  if (state.abort) state.abort.abort();
  sessionStorage.removeItem(KEY_ITEM);
  state.key = null;
  state.history.clear();
  state.step.clear();
  showLogin(message);
}

async function signIn(key) {
  try {
    await start(key);
  } catch (error) {
    sessionStorage.removeItem(KEY_ITEM);
    state.key = null;
    const reason = error instanceof HttpError && error.status === 403
      ? "This key lacks the paths:read scope."
      : error instanceof HttpError && error.status === 401
        ? "This key is unknown, revoked or wrong."
        : `Could not reach the API: ${error.message}`;
    showLogin(reason);
  }
}

$("login-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const key = $("api-key").value.trim();
  $("api-key").value = "";
  signIn(key);
});
$("sign-out").addEventListener("click", () => signOut());
$("basin-tabs").addEventListener("keydown", onTabKey);
$("history-prev").addEventListener("click", () => step(shownIndex(state.basin) - 1));
$("history-next").addEventListener("click", () => step(shownIndex(state.basin) + 1));
$("history-live").addEventListener("click", () => { state.step.delete(state.basin); paintBasin(state.basin); });
$("history-range").addEventListener("input", (event) => step(Number(event.target.value)));

const saved = sessionStorage.getItem(KEY_ITEM);
if (saved) signIn(saved); else showLogin();
