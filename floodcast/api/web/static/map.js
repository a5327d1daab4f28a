// The river network of a basin as SVG: reaches (width by upstream area), gauges, outlet.

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 600;
const PAD = 24;
const ON_PATH_WIDTH = 5;

// Probability classes of reaches on the flood path, highest first (colours in style.css).
export const CLASSES = [
  { cls: "p4", min: 0.9, label: "90 % or more" },
  { cls: "p3", min: 0.75, label: "75–90 %" },
  { cls: "p2", min: 0.6, label: "60–75 %" },
  { cls: "p1", min: 0, label: "under 60 %" },
];

export function probabilityClass(probability) {
  return CLASSES.find((c) => probability >= c.min).cls;
}

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

export function formatMinutes(minutes) {
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

export function formatAge(seconds) {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function ordinal(n) {
  const s = ["th", "st", "nd", "rd"];
  const v = n % 100;
  return n + (s[(v - 20) % 10] || s[v] || s[0]);
}

// Builds the basin's SVG once; paintPath and paintGauges update it in place.
export function buildMap(network) {
  const [x0, y0, x1, y1] = network.bounds;
  const scale = (WIDTH - 2 * PAD) / Math.max(x1 - x0, y1 - y0, 1e-6);
  const height = Math.round((y1 - y0) * scale + 2 * PAD);
  const width = Math.round((x1 - x0) * scale + 2 * PAD);
  const px = (x) => +(PAD + (x - x0) * scale).toFixed(1);
  const py = (y) => +(PAD + (y1 - y) * scale).toFixed(1); // north up
  const svg = el("svg", {
    viewBox: `0 0 ${width} ${height}`,
    role: "group",
    "aria-label": `River network of ${network.basin_id}: ${network.reaches.length} reaches, ${network.gauges.length} gauges`,
    "data-basin": network.basin_id,
  });
  svg.append(el("title", {}, `River network of ${network.basin_id}`));
  const reaches = el("g", { class: "reaches" });
  const mids = {};
  for (const r of network.reaches) {
    const line = el("line", {
      class: "reach",
      "data-reach": r.reach_id,
      x1: px(r.x1), y1: py(r.y1), x2: px(r.x2), y2: py(r.y2),
      "stroke-width": r.width * 1.4,
      "data-width": r.width * 1.4,
      "aria-label": `Reach ${r.reach_id}: not on the flood path`,
    });
    line.append(el("title", {}, `${r.reach_id}: ${r.upstream_area_km2.toFixed(0)} km² upstream, bankfull ${r.bankfull_m3s.toFixed(0)} m³/s`));
    reaches.append(line);
    mids[r.reach_id] = [(px(r.x1) + px(r.x2)) / 2, (py(r.y1) + py(r.y2)) / 2];
  }
  svg.append(reaches);
  const outlet = el("g", { class: "outlet", "aria-label": "Basin outlet" });
  const ox = px(network.outlet_x), oy = py(network.outlet_y);
  outlet.append(el("rect", { x: ox - 6, y: oy - 6, width: 12, height: 12 }));
  outlet.append(el("text", { x: ox + 9, y: oy + 4 }, "outlet"));
  svg.append(outlet);
  const gauges = el("g", { class: "gauges" });
  for (const g of network.gauges) {
    const x = px(g.x), y = py(g.y);
    const marker = el("g", { class: "gauge", "data-gauge": g.gauge_id, "aria-label": `Gauge ${g.gauge_id}` });
    marker.append(el("path", { d: `M${x} ${y - 7} L${x + 6} ${y + 4} L${x - 6} ${y + 4} Z` }));
    marker.append(el("text", { x: x + 8, y: y + 4 }, g.gauge_id));
    marker.append(el("title", {}, `Gauge ${g.gauge_id}`));
    gauges.append(marker);
  }
  svg.append(gauges);
  svg.append(el("g", { class: "orders", "aria-hidden": "true" }));
  svg.mids = mids;
  return svg;
}

// Colours the reaches of `prediction` (null = nothing known) and numbers them in flooding order.
export function paintPath(svg, prediction) {
  const onPath = new Map((prediction?.reaches || []).map((r, i) => [r.reach_id, [r, i + 1]]));
  for (const line of svg.querySelectorAll(".reach")) {
    const id = line.dataset.reach;
    line.classList.remove("p1", "p2", "p3", "p4");
    const hit = onPath.get(id);
    if (hit) {
      const [r, order] = hit;
      line.classList.add(probabilityClass(r.probability));
      // Headwater reaches are thin: on the path they are drawn at least ON_PATH_WIDTH wide.
      line.setAttribute("stroke-width", Math.max(+line.dataset.width, ON_PATH_WIDTH));
      line.dataset.probability = r.probability.toFixed(3);
      line.dataset.order = order;
      line.setAttribute("tabindex", "0");
      line.setAttribute("aria-label", `Reach ${id}: floods ${ordinal(order)}, probability ${Math.round(r.probability * 100)} %, in ${formatMinutes(r.eta_minutes)}`);
    } else {
      line.setAttribute("stroke-width", line.dataset.width);
      delete line.dataset.probability;
      delete line.dataset.order;
      line.removeAttribute("tabindex");
      line.setAttribute("aria-label", `Reach ${id}: not on the flood path`);
    }
  }
  const orders = svg.querySelector(".orders");
  orders.replaceChildren();
  for (const [id, [, order]] of onPath) {
    const [x, y] = svg.mids[id];
    const badge = el("g", { class: "order", "data-reach": id });
    badge.append(el("circle", { cx: x, cy: y, r: 6.5 }));
    badge.append(el("text", { x, y }, String(order)));
    orders.append(badge);
  }
}

// Marks each gauge with the age of its last reading; offline ones are drawn hollow.
export function paintGauges(svg, gauges) {
  for (const marker of svg.querySelectorAll(".gauge")) {
    const id = marker.dataset.gauge;
    const seen = gauges[id];
    const offline = !seen || seen.offline;
    marker.classList.toggle("offline", offline);
    const age = seen ? `${formatAge(seen.age_seconds)} ago` : "no reading";
    const text = `${id}: last reading ${age}${offline ? ", OFFLINE" : ""}`;
    // On the map: the gauge's short name (without its basin) and the age, or OFFLINE.
    const short = id.startsWith(`${svg.dataset.basin}-`) ? id.slice(svg.dataset.basin.length + 1) : id;
    marker.querySelector("text").textContent = `${short} ${offline ? "OFFLINE" : seen ? formatAge(seen.age_seconds) : ""}`;
    marker.querySelector("title").textContent = `Gauge ${text}`;
    marker.setAttribute("aria-label", `Gauge ${text}`);
  }
}

export function legend() {
  const items = [];
  const add = (swatchStyle, label) => {
    const span = document.createElement("span");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.setAttribute("style", swatchStyle);
    span.append(swatch, label);
    items.push(span);
  };
  for (const c of CLASSES) add(`background: var(--${c.cls})`, `on the path, ${c.label}`);
  add("background: var(--river)", "not on the path");
  add("background: #2b6cb0", "gauge (▲), hollow = offline");
  add("background: var(--ink)", "outlet (■); numbers = flooding order; width = upstream area");
  return items;
}
