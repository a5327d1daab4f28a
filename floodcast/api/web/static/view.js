// The text side of the page: path table, gauge table, alerts, banners, history label.

import { formatAge, formatMinutes, probabilityClass } from "./map.js";

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

export function formatTime(iso) {
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function clock(iso, minutes) {
  return new Date(new Date(iso).getTime() + minutes * 60000).toISOString().slice(11, 16);
}

export function renderPath(tbody, meta, caption, prediction, model) {
  tbody.replaceChildren();
  if (!prediction) {
    meta.textContent = "No prediction for this basin yet.";
    caption.textContent = "No prediction yet";
    return;
  }
  const m = prediction.model;
  const served = model && model.sha256 !== m.sha256 ? ` (serving ${model.version})` : "";
  meta.textContent = `Watermark ${formatTime(prediction.watermark)} · issued ${formatTime(prediction.issued_at)} · model ${m.name} ${m.version}${served} · threshold ${Math.round(prediction.threshold * 100)} %`;
  if (!prediction.reaches.length) {
    caption.textContent = "All clear: no reach is predicted to flood";
    const row = document.createElement("tr");
    const td = cell("All clear within the next " + prediction.horizon_hours + " h");
    td.colSpan = 4;
    row.append(td);
    tbody.append(row);
    return;
  }
  caption.textContent = `${prediction.reaches.length} reaches predicted to flood, in flooding order`;
  prediction.reaches.forEach((r, i) => {
    const row = document.createElement("tr");
    row.dataset.reach = r.reach_id;
    const name = cell("");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.setAttribute("style", `background: var(--${probabilityClass(r.probability)})`);
    swatch.setAttribute("aria-hidden", "true");
    name.append(swatch, r.reach_id);
    row.append(
      cell(String(i + 1), "num"),
      name,
      cell(`${Math.round(r.probability * 100)} %`, "num"),
      cell(`${formatMinutes(r.eta_minutes)} (${clock(prediction.watermark, r.eta_minutes)})`, "num"),
    );
    tbody.append(row);
  });
}

export function renderGauges(tbody, gaugeIds, gauges) {
  tbody.replaceChildren();
  for (const id of gaugeIds) {
    const seen = gauges[id];
    const row = document.createElement("tr");
    row.dataset.gauge = id;
    const offline = !seen || seen.offline;
    row.append(
      cell(id),
      cell(seen ? `${formatAge(seen.age_seconds)} ago` : "none seen", "num"),
      cell(offline ? "OFFLINE" : "reporting"),
    );
    if (offline) row.className = "offline";
    tbody.append(row);
  }
}

export function renderAlerts(list, alerts) {
  list.replaceChildren();
  for (const a of alerts) {
    const li = document.createElement("li");
    li.dataset.kind = a.kind;
    const labels = Object.entries(a.labels).map(([k, v]) => `${k}=${v}`).join(", ");
    li.textContent = `${a.severity}: ${a.summary}${labels ? ` (${labels})` : ""}, since ${formatTime(a.since)}`;
    list.append(li);
  }
}

function banner(kind, label, text, extra = {}) {
  const p = document.createElement("p");
  p.className = `banner ${kind}`;
  p.dataset.label = label;
  for (const [k, v] of Object.entries(extra)) p.dataset[k] = v;
  p.textContent = text;
  return p;
}

export function renderBanners(box, { connected, status, alerts }) {
  const items = [];
  if (!connected) items.push(banner("disconnected", "offline", "Live stream disconnected; reconnecting…"));
  if (status) {
    if (status.stale_basins.length) {
      items.push(banner("stale", "stale", `No new prediction for ${status.stale_basins.join(", ")} in over ${formatAge(status.stale_after_seconds)}: the stream may be stale.`, { basins: status.stale_basins.join(" ") }));
    }
    if (status.lag_high) items.push(banner("lag", "lag", "Consumer lag is high: predictions may be late."));
    for (const [feed, failure] of Object.entries(status.feed_failures || {})) {
      items.push(banner("warning", "feed", `The ${feed} cannot be read (${failure}): what the page shows of them may be out of date.`, { feed }));
    }
  }
  for (const a of alerts) {
    if (a.severity === "info") continue;
    items.push(banner(a.severity, `${a.severity} alert`, `${a.kind}: ${a.summary}`, { kind: a.kind }));
  }
  box.replaceChildren(...items);
}

export function renderHistoryLabel(label, entries, index) {
  if (!entries.length) {
    label.textContent = "No paths in the last 24 h.";
    return;
  }
  const p = entries[index];
  const where = index === entries.length - 1 ? "latest" : `${index + 1} of ${entries.length}`;
  label.textContent = `Showing ${where}: watermark ${formatTime(p.watermark)}, ${p.reaches.length} reaches on the path.`;
}
