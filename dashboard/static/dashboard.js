// The duty dashboard. Reads Telegram's initData (#tgWebAppData=…) or a signed link
// (#link=…) from the URL fragment, sends it with every request, and redraws from the
// snapshots the server streams (Server-Sent Events over fetch, so the credential can go
// in a header). Every text comes from the server's catalogue in the viewer's language;
// data is written with textContent only.
"use strict";

const STALE_MS = 45000; // the server sends at least a keepalive every 20 s
const state = { labels: {}, lang: null, map: null, layer: null, tiles: null, chart: null,
  tilesFailed: false, fitted: "" };

function credential() {
  const params = new URLSearchParams(location.hash.slice(1));
  const initData = params.get("tgWebAppData");
  if (initData) return "tma " + initData;
  const link = params.get("link");
  if (link) return "link " + link;
  // Telegram may reload the page without the fragment: keep it for this tab only.
  return sessionStorage.getItem("dashboard-credential");
}

function L_(key, params) {
  let text = state.labels["dashboard." + key] || key;
  for (const [name, value] of Object.entries(params || {})) text = text.replace("{" + name + "}", value);
  return text;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name === "class") node.className = value; else node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === "") continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function clock(isoText) {
  const moment = new Date(isoText);
  return isNaN(moment) ? "" : moment.toLocaleTimeString(state.lang === "en" ? "en-GB" : "zh-CN",
    { hour: "2-digit", minute: "2-digit" });
}

function setText(id, text) { document.getElementById(id).textContent = text; }

function setLive(on) {
  const live = document.getElementById("live");
  live.className = "live " + (on ? "on" : "off");
  live.dataset.state = on ? "live" : "reconnecting";
  live.textContent = on ? "● " + L_("live") : L_("reconnecting");
}

function personNode(p) {
  const alerts = p.flags.filter((f) => f.alert);
  const node = el("li", { class: "person" + (alerts.length ? " flagged" : ""), "data-state": p.state,
    "data-volunteer": p.id === undefined ? "" : p.id },
    el("span", { class: "name" }, p.name), " ", el("span", { class: "team" }, "(" + p.team + ")"));
  if (p.eta) node.append(" ", el("span", { class: "eta" }, L_("eta", { minutes: p.eta })));
  if (p.phone) node.append(" ", el("span", { class: "phone" }, p.phone));
  if (p.reason) node.append(" ", el("span", { class: "team" }, p.reason));
  const t = p.times || {};
  if (t.home_safe) node.append(" ", el("span", { class: "time" }, L_("home_at", { time: clock(t.home_safe) })));
  else if (t.on_scene) node.append(" ", el("span", { class: "time arrived" }, L_("arrived", { time: clock(t.on_scene) })));
  else if (t.answered) node.append(" ", el("span", { class: "time" }, clock(t.answered)));
  if (p.on_map && p.position_at) node.append(" ", el("span", { class: "time" }, L_("position", { time: clock(p.position_at) })));
  for (const flag of p.flags) {
    node.append(el("span", { class: "flag flag-" + flag.code + (flag.alert ? " alert" : " note") },
      flag.label + (flag.alert && flag.since ? " · " + L_("since", { time: clock(flag.since) }) : "")));
  }
  return node;
}

// A multi-team callout's parts, as on the chat board: per team and per skill slot, k/n
// (a team without places of its own shows only its count).
function partsNode(parts) {
  const fraction = (k, n) => (n === null || n === undefined ? String(k) : k + "/" + n);
  const item = (cls, attrs, text) => el("span", Object.assign({ class: cls }, attrs), text);
  const box = el("div", { class: "parts" });
  box.append(el("p", { class: "per-team" }, L_("parts_teams") + ": ",
    ...parts.teams.flatMap((p, i) => [i ? " · " : "", item("part", {
      "data-team": p.team, "data-confirmed": p.confirmed, "data-needed": p.needed ?? "" },
      p.team + " " + fraction(p.confirmed, p.needed))])));
  if (parts.slots.length) {
    box.append(el("p", { class: "per-slot" }, L_("parts_slots") + ": ",
      ...parts.slots.flatMap((s, i) => [i ? " · " : "", item("slot", {
        "data-skill": s.skill, "data-filled": s.filled, "data-needed": s.needed },
        s.label + " " + fraction(s.filled, s.needed))])));
  }
  return box;
}

function calloutNode(c) {
  const alert = c.alerts.length > 0;
  const card = el("article", { class: "callout status-" + c.status + " phase-" + c.phase + (alert ? " alert" : ""),
    id: "callout-" + c.id, "data-id": c.id, "data-phase": c.phase });
  card.append(el("div", { class: "callout-head" },
    el("h3", {}, "#" + c.id + " " + c.type_label + " · " + c.location),
    el("span", { class: "badge status-" + c.status }, c.status_label),
    el("span", { class: "meta" }, L_("called_at") + " " + clock(c.created_at))));
  if (alert) {
    // Who needs help or missed a check: first thing on the card, whatever else is there.
    card.append(el("div", { class: "alerts", role: "alert" },
      el("div", { class: "alerts-title" }, "⚠ " + L_("alerts")),
      el("ul", { class: "people" }, ...c.alerts.map(personNode))));
  }
  if (c.phase === "return") {
    card.append(el("p", { class: "returning" }, L_("returning", { time: clock(c.return_started_at) })));
  }
  if (c.description) card.append(el("p", { class: "meta" }, c.description));
  card.append(el("p", { class: "meta" }, L_("teams") + ": " + c.teams.join(", ") +
    (c.skills.length ? " · " + L_("skills") + ": " + c.skills.join(", ") : "")));
  if (c.phase === "return") {
    const share = Math.round((100 * c.home.safe) / Math.max(1, c.home.total));
    card.append(el("div", { class: "count" },
      el("strong", { class: "home-count", "data-safe": c.home.safe, "data-total": c.home.total },
        L_("home_count", { safe: c.home.safe, total: c.home.total })),
      el("div", { class: "bar" }, el("span", { style: "width:" + share + "%" }))));
  } else {
    const share = Math.min(100, Math.round((100 * c.confirmed) / Math.max(1, c.needed)));
    card.append(el("div", { class: "count" },
      el("span", {}, L_("confirmed")),
      el("strong", { class: "confirmed-count", "data-confirmed": c.confirmed }, c.confirmed + " / " + c.needed),
      el("span", { class: "on-scene-count", "data-on-scene": c.on_scene }, L_("on_scene_count", { count: c.on_scene })),
      el("div", { class: "bar" }, el("span", { style: "width:" + share + "%" }))));
  }
  if (c.parts) {
    card.append(partsNode(c.parts));
  } else if (c.teams.length > 1) {
    card.append(el("p", { class: "per-team" },
      Object.entries(c.by_team).map(([team, n]) => team + " " + n).join(" · ")));
  }
  for (const group of c.groups) {
    card.append(el("div", { class: "group state-" + group.state, "data-state": group.state },
      el("div", { class: "group-title" }, group.label + " ", el("span", { class: "n" }, String(group.people.length))),
      el("ul", { class: "people" }, ...group.people.map(personNode))));
  }
  if (c.left_out.length) {
    const details = el("details", {}, el("summary", {}, L_("left_out") + " " + c.left_out.length));
    details.append(el("ul", { class: "people" }, ...c.left_out.map((p) => personNode(
      { name: p.name, team: p.team, state: "left_out", reason: p.reason + (p.detail ? " " + p.detail : ""),
        phone: p.phone, flags: [], times: {} }))));
    card.append(details);
  }
  return card;
}

function renderCallouts(page) {
  const box = document.getElementById("callouts");
  box.replaceChildren(...(page.callouts.length ? page.callouts.map(calloutNode)
    : [el("p", { class: "note", id: "no-callouts" }, L_("no_callouts"))]));
}

function renderMap(page) {
  if (typeof L === "undefined") return; // the page still works without the map
  if (!state.map) {
    state.map = L.map("map", { zoomControl: true, attributionControl: false }).setView([30.25, 120.16], 9);
    state.layer = L.layerGroup().addTo(state.map);
  }
  if (!state.tiles || state.tiles.options.__url !== page.tile_url) {
    if (state.tiles) state.tiles.remove();
    state.tiles = L.tileLayer(page.tile_url, { maxZoom: 18, __url: page.tile_url });
    state.tiles.on("tileerror", () => {
      state.tilesFailed = true;
      const note = document.getElementById("map-note");
      note.textContent = L_("map_offline");
      note.hidden = false;
    });
    state.tiles.addTo(state.map);
  }
  state.layer.clearLayers();
  const points = [];
  for (const c of page.callouts) {
    if (c.point) {
      points.push(c.point);
      L.circleMarker(c.point, { radius: 11, color: "#c0262d", fillOpacity: 0.8, className: "marker-callout" })
        .bindTooltip("#" + c.id + " " + c.type_label + " · " + c.location, { permanent: true, direction: "right" })
        .addTo(state.layer);
    }
    // Last known positions of the people still out (on-scene check-ins, shared locations).
    for (const g of c.groups) for (const p of g.people) {
      if (!p.on_map) continue;
      points.push(p.position);
      const urgent = p.flags.some((f) => f.alert);
      // People are small green dots, a callout point a big red one; someone needing help
      // or overdue is a thick red ring, unlike either.
      L.circleMarker(p.position, { radius: urgent ? 9 : 6, color: urgent ? "#c0262d" : "#1d7f3c",
        weight: urgent ? 5 : 2, fillColor: urgent ? "#ffffff" : "#1d7f3c", fillOpacity: 0.95,
        className: "marker-person" + (urgent ? " marker-alert" : "") })
        .bindTooltip("#" + c.id + " " + p.name + " (" + p.team + ")" +
          (p.position_at ? " " + clock(p.position_at) : "")).addTo(state.layer);
    }
  }
  const key = JSON.stringify(points);
  if (points.length && key !== state.fitted) {
    // No animation: a wall screen redrawn mid-zoom would show markers scaled up for a moment.
    state.map.fitBounds(L.latLngBounds(points).pad(0.3), { maxZoom: 13, animate: false });
    state.fitted = key;
  }
  if (!points.length && !state.tilesFailed) {
    const note = document.getElementById("map-note");
    note.textContent = L_("no_points");
    note.hidden = false;
  } else if (!state.tilesFailed) {
    document.getElementById("map-note").hidden = true;
  }
}

function renderMissions(page) {
  const m = page.missions;
  setText("missions-count", L_("missions_count", { year: m.year, count: m.count, target: m.target }));
  if (typeof Chart === "undefined") return;
  const months = L_("months").split(",");
  let total = 0;
  const actual = m.monthly.map((n, i) => (i < m.month ? (total += n) : null));
  const pace = months.map((_, i) => Math.round((m.target * (i + 1)) / 12));
  const data = { labels: months, datasets: [
    { label: L_("chart_actual"), data: actual, borderColor: "#1f5fae", backgroundColor: "#1f5fae", tension: 0.2 },
    { label: L_("chart_target"), data: pace, borderColor: "#b26a00", borderDash: [6, 4], pointRadius: 0 },
  ] };
  if (state.chart) { state.chart.data = data; state.chart.update("none"); return; }
  state.chart = new Chart(document.getElementById("missions-chart"), { type: "line", data,
    options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } } });
}

function renderReadiness(page) {
  const r = page.readiness;
  const head = el("tr", {}, el("th", {}, L_("team")), el("th", {}, L_("general")), el("th", {}, L_("fitness")),
    ...r.skills.map((s) => el("th", {}, s.label)));
  const cell = (pair) => {
    if (!pair || pair[1] === 0) return el("td", { class: "none" }, "–");
    return el("td", { class: pair[0] === 0 ? "low" : "" }, pair[0] + " / " + pair[1]);
  };
  const rows = r.rows.map((row) => el("tr", {}, el("td", { title: row.name }, row.team + " " + row.name),
    cell(row.general), cell(row.fitness), ...r.skills.map((s) => cell(row.skills[s.code]))));
  document.getElementById("readiness").replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
}

function renderExpiring(page) {
  const item = (x) => el("li", {}, x.name + " (" + x.team + ")" + (x.skill ? " · " + x.skill : ""),
    el("span", { class: "days" }, L_("until", { date: x.until, days: x.days })));
  for (const [id, list] of [["insurance", page.expiring.insurance], ["certificates", page.expiring.certificates]]) {
    document.getElementById(id).replaceChildren(...(list.length ? list.map(item)
      : [el("li", { class: "note" }, L_("none_expiring"))]));
  }
}

function render(page) {
  state.labels = page.labels;
  state.lang = page.lang;
  document.documentElement.lang = page.lang;
  document.title = L_("title");
  setText("title", L_("title"));
  const v = page.viewer;
  setText("viewer", v.kind === "leader" ? L_("viewer.leader", { team: v.team }) : L_("viewer." + v.kind) +
    (v.kind === "wall" && v.team ? " · " + v.team : ""));
  setText("lang", L_("language"));
  for (const [id, key] of [["callouts-title", "callouts"], ["map-title", "map"], ["missions-title", "missions"],
    ["readiness-title", "readiness"], ["expiring-title", "expiring"], ["insurance-title", "insurance"],
    ["certificates-title", "certificates"]]) setText(id, L_(key));
  setText("updated", L_("updated") + " " + new Date(page.generated_at).toLocaleTimeString());
  document.getElementById("main").hidden = false;
  renderCallouts(page);
  renderMissions(page);
  renderReadiness(page);
  renderExpiring(page);
  renderMap(page);
  document.body.dataset.generated = page.generated_at;
}

function unauthorized() {
  document.getElementById("main").hidden = true;
  const box = document.getElementById("unauthorized");
  box.textContent = state.labels["dashboard.unauthorized"] ||
    "无法打开看板：链接无效、已过期或已被撤销。 Cannot open the dashboard: the link is invalid, expired or revoked.";
  box.hidden = false;
  document.body.dataset.unauthorized = "1";
  setLive(false);
}

function handleFrame(frame) {
  let event = "message";
  const data = [];
  for (const line of frame.split("\n")) {
    if (line.startsWith("event: ")) event = line.slice(7);
    else if (line.startsWith("data: ")) data.push(line.slice(6));
  }
  if (event === "page") render(JSON.parse(data.join("\n")));
  else if (event === "unauthorized") return false;
  return true;
}

async function stream(auth) {
  let backoff = 1000;
  for (;;) {
    const abort = new AbortController();
    let watchdog = setTimeout(() => abort.abort(), STALE_MS);
    try {
      const lang = sessionStorage.getItem("dashboard-lang");
      const query = lang ? "?lang=" + lang : "";
      const response = await fetch("api/stream" + query, { headers: { Authorization: auth }, signal: abort.signal, cache: "no-store" });
      if (response.status === 401) return unauthorized();
      if (!response.ok) throw new Error("HTTP " + response.status);
      setLive(true);
      backoff = 1000;
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        clearTimeout(watchdog);
        watchdog = setTimeout(() => abort.abort(), STALE_MS);
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!handleFrame(frame)) return unauthorized();
        }
      }
    } catch (error) {
      // dropped connection or watchdog: reconnect below; the first snapshot catches up
    } finally {
      clearTimeout(watchdog);
    }
    setLive(false);
    await new Promise((resolve) => setTimeout(resolve, backoff));
    backoff = Math.min(backoff * 2, 15000);
  }
}

function start() {
  const auth = credential();
  if (!auth) return unauthorized();
  sessionStorage.setItem("dashboard-credential", auth);
  document.getElementById("lang").addEventListener("click", () => {
    sessionStorage.setItem("dashboard-lang", state.lang === "en" ? "zh" : "en");
    location.reload();
  });
  stream(auth);
}

document.addEventListener("DOMContentLoaded", start);
