// The live event debugger: reads /debugger/events (Server-Sent Events) with a streaming fetch, so the admin
// token travels in the Authorization header and never in a URL. No framework, no build step.
"use strict";

const STATUSES = ["accepted", "duplicate", "rejected", "unavailable", "rate_limited", "suppressed"];
const MAX_ROWS = 500;
const $ = (id) => document.getElementById(id);

let controller = null;
let paused = false;
let heldWhilePaused = [];
let rowCount = 0;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value; else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(child ?? ""));
  return node;
}

function svg(tag, attrs) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

function showMessage(text) {
  $("message").textContent = text;
  $("message").hidden = !text;
}

function setConnection(on, text) {
  $("connection").className = "connection " + (on ? "on" : "off");
  $("connection").textContent = text;
}

function emptyState(ingestPort) {
  const origin = location.protocol + "//" + location.hostname + ":" + (ingestPort || location.port || 8000);
  $("curl").textContent = "curl -s " + origin + "/v1/events/install -H 'Authorization: Bearer dev-secret' \\\n"
    + "  -H 'Content-Type: application/json' -d '{\"event_id\":\"" + crypto.randomUUID() + "\",\n"
    + "  \"event_type\":\"install\",\"app_id\":\"com.game.test\",\"player_id\":\"p1\",\"platform\":\"ios\",\n"
    + "  \"occurred_at\":\"" + new Date().toISOString() + "\"}'";
  $("sdk").textContent = "GameEventClient client = new GameEventClient(\n"
    + "    new GameEventClientConfig(\"" + origin + "\", \"dev-secret\"));\n"
    + "client.sendInstall(InstallEvent.create(\"player_1\", \"com.game.test\", \"ios\"));";
}

function message(entry) {
  const kept = entry.kept === true ? " (kept)" : entry.kept === false ? " (not kept)" : "";
  if (entry.errors && entry.errors.length) {
    return entry.errors.map((e) => (e.pointer ? e.pointer + ": " : "") + e.message).join("; ") + kept;
  }
  return (entry.detail || "") + kept;
}

function time(iso) {
  return iso ? iso.substring(11, 23) : "";
}

function pretty(value) {
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

function detailRow(entry) {
  const left = el("div", {}, el("h3", {}, "Event as received (" + entry.received_bytes + " bytes)"),
    el("pre", {}, entry.received !== undefined ? pretty(entry.received) : (entry.received_note || "(no event body)")));
  const right = el("div", {});
  if (entry.errors && entry.errors.length) {
    right.append(el("h3", {}, "Errors the client got"),
      el("ul", {}, ...entry.errors.map((e) => el("li", {}, (e.pointer || "(event)") + ": " + e.message))));
  } else if (entry.detail) {
    right.append(el("h3", {}, "What the client got"), el("p", {}, entry.detail));
  }
  if (entry.kept !== undefined) {
    right.append(el("h3", {}, "Refused event"), el("p", {}, entry.kept
      ? "Kept in the refused events (docs/refused-events.md): it can be found by its request_id and replayed."
      : "Not kept: its credential may not write its app, or the refused-events budget or store was full."));
  }
  if (entry.stored !== undefined) {
    right.append(el("h3", {}, "Stored record"), el("pre", {}, pretty(entry.stored)));
  } else if (entry.status === "duplicate") {
    right.append(el("h3", {}, "Stored record"), el("p", {}, "An earlier copy with this event_id was stored; this one was not."));
  }
  right.append(el("h3", {}, "Request"), el("pre", {}, "request_id " + entry.request_id + "\nnode " + entry.node
    + "\nkey_id " + (entry.key_id || "-") + "\nclient " + (entry.client || "-") + "\nlatency " + entry.latency_ms + " ms"));
  return el("tr", { class: "detail" }, el("td", { colspan: "10" }, el("div", { class: "detail-grid" }, left, right)));
}

function addRow(entry) {
  $("empty").hidden = true;
  const row = el("tr", { class: "event", "data-status": entry.status, "data-seq": String(entry.seq) },
    el("td", {}, time(entry.time)),
    el("td", {}, el("span", { class: "status " + entry.status }, entry.status)),
    el("td", {}, entry.event_type || "-"),
    el("td", {}, entry.app_id || "-"),
    el("td", { class: "wide", title: entry.event_id || "" }, entry.event_id || "-"),
    el("td", { class: "wide", title: entry.player_id || "" }, entry.player_id || "-"),
    el("td", { class: "opt" }, entry.platform || "-"),
    el("td", { class: "opt" }, entry.key_id || "-"),
    el("td", { class: "opt" }, String(entry.latency_ms)),
    el("td", { class: "msg" }, message(entry)));
  row.addEventListener("click", () => {
    const next = row.nextSibling;
    if (next && next.classList && next.classList.contains("detail")) next.remove();
    else row.after(detailRow(entry));
  });
  const rows = $("rows");
  rows.prepend(row);
  rowCount++;
  while (rowCount > MAX_ROWS) {
    const last = rows.lastElementChild;
    if (last.classList.contains("detail")) { last.remove(); continue; }
    last.remove();
    rowCount--;
  }
}

function drawCounts(counts) {
  const chart = $("chart");
  chart.replaceChildren();
  const minutes = counts.minutes || [];
  const totals = minutes.map((m) => STATUSES.reduce((sum, s) => sum + (m.statuses[s] || 0), 0));
  const max = Math.max(1, ...totals);
  const width = 450 / Math.max(1, minutes.length);
  minutes.forEach((m, i) => {
    let y = 90;
    for (const status of STATUSES) {
      const n = m.statuses[status] || 0;
      if (!n) continue;
      const h = (n / max) * 86;
      y -= h;
      const bar = svg("rect", { x: i * width + 2, y: y, width: width - 4, height: h, class: "bar-" + status });
      bar.style.fill = getComputedStyle(document.documentElement).getPropertyValue("--" + status);
      bar.append(svg("title", {}));
      bar.firstChild.textContent = m.minute.substring(11, 16) + " " + status + ": " + n;
      chart.append(bar);
    }
  });
  const byType = {};
  minutes.forEach((m) => Object.entries(m.types).forEach(([t, n]) => { byType[t] = (byType[t] || 0) + n; }));
  const types = Object.entries(byType).sort((a, b) => b[1] - a[1]);
  const top = Math.max(1, ...types.map((t) => t[1]));
  $("types").replaceChildren(...types.map(([type, n]) => {
    const bar = el("div", { class: "bar" });
    bar.style.width = Math.max(2, (n / top) * 100) + "%";
    return el("li", {}, el("span", { class: "name", title: type }, type), el("div", {}, bar), el("span", { class: "n" }, String(n)));
  }));
  if (!types.length) $("types").append(el("li", { class: "note" }, "no events in the last 15 minutes"));
}

function legend() {
  $("legend").replaceChildren(...STATUSES.map((s) => {
    const swatch = el("i", {});
    swatch.style.background = getComputedStyle(document.documentElement).getPropertyValue("--" + s);
    return el("span", {}, swatch, s);
  }));
}

function onEvent(type, data) {
  const payload = JSON.parse(data);
  if (type === "hello") {
    $("node").textContent = "node " + payload.node;
    emptyState(payload.ingest_port);
  } else if (type === "counts") {
    drawCounts(payload);
  } else if (type === "skipped") {
    $("skipped").textContent = "skipped " + payload.skipped + " events: " + payload.reason;
  } else if (paused) {
    heldWhilePaused.push(payload);
    if (heldWhilePaused.length > MAX_ROWS) heldWhilePaused.shift();
    $("paused-note").textContent = heldWhilePaused.length + " new while paused";
  } else {
    addRow(payload);
  }
}

async function connect() {
  const token = $("token").value.trim();
  if (!token) { showMessage("Enter an admin token (admin.tokens) to watch events."); return; }
  sessionStorage.setItem("game-events.debugger.token", token);
  if (controller) controller.abort();
  controller = new AbortController();
  const params = new URLSearchParams();
  if ($("f-app").value.trim()) params.set("app_id", $("f-app").value.trim());
  if ($("f-type").value.trim()) params.set("event_type", $("f-type").value.trim());
  if ($("f-status").value) params.set("status", $("f-status").value);
  $("rows").replaceChildren();
  rowCount = 0;
  $("empty").hidden = false;
  showMessage("");
  setConnection(false, "connecting");
  let response;
  try {
    response = await fetch("/debugger/events?" + params, {
      headers: { Authorization: "Bearer " + token, Accept: "text/event-stream" }, signal: controller.signal });
  } catch (e) {
    if (e.name !== "AbortError") { setConnection(false, "disconnected"); showMessage("Cannot reach the service: " + e.message); }
    return;
  }
  if (!response.ok) {
    let detail = response.status + " " + response.statusText;
    try { detail = (await response.json()).detail || detail; } catch (ignored) { /* not a problem document */ }
    setConnection(false, "refused");
    showMessage(detail);
    return;
  }
  setConnection(true, "live");
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      let end;
      while ((end = text.indexOf("\n\n")) >= 0) {
        const block = text.substring(0, end);
        text = text.substring(end + 2);
        let type = "message";
        const data = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event: ")) type = line.substring(7);
          else if (line.startsWith("data: ")) data.push(line.substring(6));
        }
        if (data.length) onEvent(type, data.join("\n"));
      }
    }
    setConnection(false, "disconnected");
    showMessage("The stream ended (the node restarted, or this page did not keep up). Connect again.");
  } catch (e) {
    if (e.name !== "AbortError") { setConnection(false, "disconnected"); showMessage("The stream broke: " + e.message); }
  }
}

function togglePause() {
  paused = !paused;
  $("pause").textContent = paused ? "Resume" : "Pause";
  if (!paused) {
    heldWhilePaused.forEach(addRow);
    heldWhilePaused = [];
    $("paused-note").textContent = "";
  } else {
    $("paused-note").textContent = "paused";
  }
}

document.addEventListener("DOMContentLoaded", () => {
  legend();
  emptyState();
  drawCounts({ minutes: [] });
  $("login").addEventListener("submit", (e) => { e.preventDefault(); connect(); });
  $("pause").addEventListener("click", togglePause);
  $("clear").addEventListener("click", () => { $("rows").replaceChildren(); rowCount = 0; });
  for (const id of ["f-app", "f-type", "f-status"]) $(id).addEventListener("change", () => { if (controller) connect(); });
  const saved = sessionStorage.getItem("game-events.debugger.token");
  if (saved) { $("token").value = saved; connect(); }
});
