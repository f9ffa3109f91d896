// The dashboard page's script (browser JavaScript, kept as text: the page has no build step of its own). It
// polls the Metrics API with the key from sessionStorage, parses Prometheus text 0.0.4, and redraws the
// cards; one poll costs one fetch, one pass over the text and one redraw of the changed cells. Always: the
// key never goes into the URL sent to the server, and history lives in the page (15 minutes per series).
import { PARSE_SCRIPT } from './parse-script.js';

/** Element ids and data attributes the page and its spec share. */
export const DASHBOARD_HOOKS = { state: 'data-state', family: 'data-family', value: 'data-value' } as const;

const PAGE = String.raw`
"use strict";
(function () {
  var METRICS = "/api/v1/observability/metrics";
  var HISTORY_MS = 15 * 60 * 1000;
  var KEY_ITEM = "omen.apiKey";
  var GROUPS = [
    { id: "serving", title: "Feature serving", test: /^feature_serv(ice|er)_/ },
    { id: "spark", title: "Spark streaming", test: /^spark_stream_/ },
    { id: "ingest", title: "Stream Ingest API", test: /^stream_ingestapi_/ },
    { id: "other", title: "Other", test: /./ }
  ];
  var UNITS = { "requests per second": "req/s", "rows per second": "rows/s", "percent": "%", "seconds": "s" };
  var $ = function (id) { return document.getElementById(id); };

  // Settings from the fragment: #key=...&poll=SECONDS. The key moves to sessionStorage and leaves the address bar.
  var params = new URLSearchParams(location.hash.slice(1));
  var pollMs = Math.max(500, Math.round(1000 * (Number(params.get("poll")) || 5)));
  if (params.has("key")) {
    var fromUrl = params.get("key").trim();
    if (fromUrl !== "") sessionStorage.setItem(KEY_ITEM, fromUrl);
    params.delete("key");
    var rest = params.toString();
    history.replaceState(null, "", location.pathname + location.search + (rest === "" ? "" : "#" + rest));
  }

  var history15 = new Map(); // series key -> [[ms, value], ...]
  var cards = new Map();     // family name -> { article, list, rows: Map }
  var timer = 0;

  function key() { return sessionStorage.getItem(KEY_ITEM) || ""; }

  function setState(state, title, detail) {
    document.body.setAttribute("data-state", state);
    $("status").textContent = title;
    var notice = $("notice");
    if (detail === undefined) { notice.hidden = true; return; }
    notice.hidden = false;
    $("notice-title").textContent = title;
    $("notice-text").textContent = detail;
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(poll, ms);
  }

  async function poll() {
    var apiKey = key();
    if (apiKey === "") {
      setState("nokey", "No API key", "Paste a Metrics API key (omen service-account create prints one) and press Use key. It is kept in this tab only.");
      $("key").focus();
      return;
    }
    var res;
    try {
      res = await fetch(METRICS, {
        headers: { "Authorization": "Tecton-key " + apiKey, "Accept": "text/plain; version=0.0.4" },
        cache: "no-store"
      });
    } catch (error) {
      setState("unreachable", "Server unreachable", "The Metrics API did not answer (" + error.message + "). Retrying every " + pollMs / 1000 + " s; the last values stay on screen.");
      return schedule(pollMs);
    }
    if (res.status === 401 || res.status === 403) {
      var why = (await res.text()).trim();
      setState("unauthorized", "Key refused (" + res.status + ")", "The server did not accept this API key: " + why + ". Enter another key above.");
      $("key").focus();
      return;
    }
    if (res.status === 503) {
      var retry = Number(res.headers.get("Retry-After")) || pollMs / 1000;
      var reason = (await res.text()).trim();
      setState("unavailable", "Metrics unavailable (503)", (reason || "The metrics engine is not ready") + ". Retrying in " + retry + " s.");
      return schedule(Math.max(pollMs, retry * 1000));
    }
    if (!res.ok) {
      setState("error", "Error " + res.status, (await res.text()).trim() + ". Retrying in " + pollMs / 1000 + " s.");
      return schedule(pollMs);
    }
    var text = await res.text();
    var version = res.headers.get("Omen-Catalog-Version");
    $("catalog").textContent = version ? "catalog " + version : "catalog version unknown";
    render(parse(text), Date.now());
    setState("live", "Live");
    $("updated").textContent = "updated " + new Date().toLocaleTimeString() + " · every " + pollMs / 1000 + " s";
    schedule(pollMs);
  }

  function render(families, now) {
    var seen = new Set();
    families.forEach(function (fam) {
      if (fam.samples.length === 0) return;
      seen.add(fam.name);
      var card = cards.get(fam.name) || createCard(fam);
      var shown = shownLabels(fam);
      var rows = fam.type === "summary" ? summaryRows(fam, shown, card.info.unit) : gaugeRows(fam, shown, card.info.unit);
      var keep = new Set();
      rows.forEach(function (row) {
        keep.add(row.key);
        var points = history15.get(fam.name + row.key) || [];
        points.push([now, row.value]);
        while (points.length > 0 && points[0][0] < now - HISTORY_MS) points.shift();
        history15.set(fam.name + row.key, points);
        drawRow(card, row, points, fam.type === "summary");
      });
      card.rows.forEach(function (el, rowKey) { if (!keep.has(rowKey)) { el.remove(); card.rows.delete(rowKey); } });
    });
    cards.forEach(function (card, name) { card.article.hidden = !seen.has(name); });
    GROUPS.forEach(function (g) {
      var section = $("group-" + g.id);
      section.hidden = section.querySelector("article:not([hidden])") === null;
    });
  }

  function labelText(labels) {
    return labels.map(function (l) { return l[0] + "=" + l[1]; }).join(", ");
  }

  // The labels worth a row's narrow space: those that differ between rows (ids give way to names).
  function shownLabels(fam) {
    var values = new Map();
    fam.samples.forEach(function (s) {
      s.labels.forEach(function (l) {
        if (l[0] === "quantile") return;
        if (!values.has(l[0])) values.set(l[0], new Set());
        values.get(l[0]).add(l[1]);
      });
    });
    var names = Array.from(values.keys()).filter(function (n) { return !(/_id$/.test(n) && values.has(n.replace(/_id$/, "_name"))); });
    var varying = names.filter(function (n) { return values.get(n).size > 1; });
    return new Set(varying.length > 0 ? varying : names);
  }

  function shortLabels(labels, shown) {
    return labels.filter(function (l) { return shown.has(l[0]); }).map(function (l) { return l[1]; }).join(" · ");
  }

  function gaugeRows(fam, shown, unit) {
    return fam.samples.map(function (s) {
      return { key: labelText(s.labels), labels: shortLabels(s.labels, shown), title: labelText(s.labels), value: s.value, text: show(s.value, unit) };
    });
  }

  // A summary is one row per label set: its quantiles side by side, the sparkline following the highest.
  function summaryRows(fam, shown, unit) {
    var byKey = new Map();
    fam.samples.forEach(function (s) {
      var q = s.labels.find(function (l) { return l[0] === "quantile"; });
      var others = s.labels.filter(function (l) { return l[0] !== "quantile"; });
      var k = labelText(others);
      var row = byKey.get(k) || { key: k, labels: shortLabels(others, shown), title: k, quantiles: [], count: 0 };
      byKey.set(k, row);
      if (q !== undefined) row.quantiles.push([Number(q[1]), s.value]);
      else if (/_count$/.test(s.name)) row.count = s.value;
    });
    return Array.from(byKey.values()).map(function (row) {
      row.quantiles.sort(function (a, b) { return a[0] - b[0]; });
      var top = row.quantiles[row.quantiles.length - 1];
      row.value = top === undefined ? row.count : top[1];
      row.text = row.quantiles.map(function (q) { return ("p" + String(q[0] * 100) + " " + show(q[1], unit)).replace(/ /g, "\u00a0"); }).join(" · ");
      if (row.labels === "") row.labels = "all services";
      return row;
    });
  }

  // A number with its short unit; seconds below one read as milliseconds.
  function show(v, unit) {
    if (unit === "seconds" && Number.isFinite(v) && Math.abs(v) < 1) return format(v * 1000) + " ms";
    var u = UNITS[unit] === undefined ? unit : UNITS[unit];
    return format(v) + (u ? (u === "%" ? "" : " ") + u : "");
  }

  function format(v) {
    if (!Number.isFinite(v)) return String(v);
    var a = Math.abs(v);
    if (a !== 0 && a < 0.001) return v.toExponential(1);
    return v.toLocaleString(undefined, { maximumFractionDigits: a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3 });
  }

  function createCard(fam) {
    var info = describe(fam.help);
    var group = GROUPS.find(function (g) { return g.test.test(fam.name); });
    var article = el("article", { "data-family": fam.name, "aria-labelledby": "f-" + fam.name });
    var h = el("h3", { id: "f-" + fam.name });
    h.textContent = fam.name;
    var meta = el("div", { class: "meta" });
    var desc = el("span", { class: "desc" });
    desc.textContent = info.description + (info.unit ? " (" + info.unit + ")" : "");
    meta.append(desc);
    if (info.stage) {
      var stage = el("span", { class: "badge stage " + info.stage.split(",")[0], title: "Release stage" });
      stage.textContent = info.stage;
      meta.append(stage);
    }
    var list = el("ul", {});
    article.append(h, meta, list);
    $("grid-" + group.id).append(article);
    var card = { article: article, list: list, rows: new Map(), info: info };
    cards.set(fam.name, card);
    return card;
  }

  function drawRow(card, row, points, summary) {
    var li = card.rows.get(row.key);
    if (li === undefined) {
      li = el("li", summary ? { class: "summary" } : {});
      var labels = el("span", { class: "labels" });
      labels.textContent = row.labels || "(no labels)";
      labels.title = row.title || "(no labels)";
      li.append(labels, el("span", { class: "value" }), spark());
      card.list.append(li);
      card.rows.set(row.key, li);
    }
    var value = li.children[1];
    value.setAttribute("data-value", String(row.value));
    value.textContent = row.text;
    drawSpark(li.children[2], points, row.title);
  }

  var SVG = "http://www.w3.org/2000/svg";
  function spark() {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "spark");
    svg.setAttribute("viewBox", "0 0 100 26");
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("role", "img");
    svg.append(document.createElementNS(SVG, "polygon"), document.createElementNS(SVG, "polyline"));
    return svg;
  }

  function drawSpark(svg, points, labels) {
    var now = points[points.length - 1][0];
    // The x axis spans what this tab has seen, up to 15 minutes, so a fresh tab's line is not a dot at the edge.
    var span = Math.min(HISTORY_MS, Math.max(now - points[0][0], 1));
    var lo = Infinity, hi = -Infinity;
    points.forEach(function (p) { if (Number.isFinite(p[1])) { lo = Math.min(lo, p[1]); hi = Math.max(hi, p[1]); } });
    if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
    if (hi === lo) { hi = hi + 1; lo = Math.max(0, lo - 1); }
    var xy = points.filter(function (p) { return Number.isFinite(p[1]); }).map(function (p) {
      var x = 100 - ((now - p[0]) / span) * 100;
      var y = 24 - ((p[1] - lo) / (hi - lo)) * 22;
      return x.toFixed(2) + "," + y.toFixed(2);
    });
    var line = xy.join(" ");
    svg.children[1].setAttribute("points", line);
    svg.children[0].setAttribute("points", xy.length === 0 ? "" : xy[0].split(",")[0] + ",26 " + line + " 100,26");
    svg.setAttribute("aria-label", "last " + Math.round(span / 60000 * 10) / 10 + " min" + (labels ? " for " + labels : "") + ": " + points.length + " readings from " + format(lo) + " to " + format(hi));
  }

  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  $("key-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var value = $("key").value.trim();
    if (value === "") return;
    sessionStorage.setItem(KEY_ITEM, value);
    $("key").value = "";
    setState("waiting", "Connecting…");
    poll();
  });
  $("forget").addEventListener("click", function () {
    sessionStorage.removeItem(KEY_ITEM);
    clearTimeout(timer);
    poll();
  });
  setState("waiting", "Connecting…");
  poll();
`;

/** The whole script: the page code with the parser inside the same function scope. */
export const DASHBOARD_SCRIPT = `${PAGE}${PARSE_SCRIPT}})();\n`;
