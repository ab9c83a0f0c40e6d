// The Run page: the attempt panel (prompt, answer, expected, scores, tool calls, logs, diff)
// and live progress while the run is still going.
import { diffWords, renderDiff } from "./diff.js";
import { h, money, text } from "./dom.js";
import { followRun, progressText, setBar } from "./live.js";

const panel = document.getElementById("attempt-panel");
const body = document.getElementById("panel-body");
const title = document.getElementById("panel-title");

function chip(passed, status) {
  if (status === "error") return h("span", { class: "chip err" }, "ERROR");
  if (passed === null || passed === undefined) return h("span", { class: "chip none" }, "—");
  return passed ? h("span", { class: "chip pass" }, "PASS") : h("span", { class: "chip fail" }, "FAIL");
}

function section(name, ...content) {
  return h("section", { class: "panel-section" }, h("h3", {}, name), ...content);
}

function prompt(messages) {
  return h("div", { class: "messages" }, ...messages.map((m) =>
    h("div", { class: `message role-${m.role}` }, h("span", { class: "role" }, m.role), h("pre", {}, text(m.content)))));
}

function scores(list) {
  if (!list.length) return h("p", { class: "muted" }, "no scores");
  return h("table", { class: "data" },
    h("thead", {}, h("tr", {}, h("th", {}, "scorer"), h("th", {}, "value"), h("th", {}, "verdict"), h("th", {}, "explanation"))),
    h("tbody", {}, ...list.map((s) => h("tr", {},
      h("td", {}, s.scorer),
      h("td", { class: "num" }, s.value === null ? "–" : Number(s.value).toFixed(3)),
      h("td", {}, chip(s.passed)),
      h("td", { class: "explain" }, s.explanation || "")))));
}

function logs(a) {
  const rows = [
    ["status", a.status], ["finish reason", a.finish_reason], ["retries", a.retries], ["cached", a.cached],
    ["tokens in / out", `${a.input_tokens ?? "–"} / ${a.output_tokens ?? "–"}`],
    ["latency", a.latency_ms === null ? "–" : `${a.latency_ms.toFixed(1)} ms`],
    ["cost", a.cost_usd === null ? "–" : money(a.cost_usd)],
    ["finished", a.finished_at], ["error", a.error_type ? `${a.error_type}: ${a.error_message}` : null],
  ];
  return h("dl", { class: "kv" }, ...rows.filter(([, v]) => v !== null && v !== undefined)
    .flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, String(v))]));
}

function diffView(a) {
  const select = h("select", { id: "diff-against", "aria-label": "compare the answer with" });
  if (a.expected !== null && a.expected !== undefined) select.append(h("option", { value: "expected" }, "expected answer"));
  for (const o of a.others) select.append(h("option", { value: o.id }, `${o.model}'s answer`));
  if (!select.options.length) return null;
  const out = h("div", { class: "diff-out" });
  const draw = () => {
    const other = select.value === "expected" ? text(a.expected) : text(a.others.find((o) => o.id === select.value)?.output);
    out.replaceChildren(renderDiff(diffWords(other, a.output ?? "")));
  };
  select.addEventListener("change", draw);
  draw();
  return section("Diff", h("label", { class: "inline" }, "this answer against ", select),
    h("p", { class: "muted legend" }, h("del", {}, "only in the other"), " ", h("ins", {}, "only in this answer")), out);
}

// Each file opens as text in a new tab; "download" saves it (the API's ?download=1).
function artifactList(a) {
  return h("ul", { class: "artifacts" }, ...a.artifacts.map((name) => {
    const url = `/api/attempts/${encodeURIComponent(a.id)}/artifacts/${encodeURIComponent(name)}`;
    return h("li", {},
      h("a", { class: "mono", href: url, target: "_blank", rel: "noopener" }, name), " ",
      h("a", { class: "muted", href: `${url}?download=1`, download: name }, "download"));
  }));
}

async function openAttempt(id) {
  panel.hidden = false;
  document.body.classList.add("panel-open");
  title.textContent = "Attempt";
  body.replaceChildren(h("p", { class: "muted" }, "loading…"));
  for (const row of document.querySelectorAll("tr.selected")) row.classList.remove("selected");
  document.querySelector(`tr[data-attempt="${CSS.escape(id)}"]`)?.classList.add("selected");
  const response = await fetch(`/api/attempts/${encodeURIComponent(id)}`);
  const a = await response.json();
  if (!response.ok) {
    body.replaceChildren(h("p", { class: "notice bad" }, a.error || "not found"));
    return;
  }
  title.replaceChildren(h("span", { class: "mono" }, a.case_id), " · ", a.model, a.sample ? ` #${a.sample}` : "", " ", chip(a.passed, a.status));
  const parts = [
    section("Prompt", prompt(a.prompt)),
    section("Response", h("pre", { class: "answer-full" }, a.output ?? (a.error_message || "(no answer)"))),
    a.reasoning ? section("Reasoning (not scored)", h("pre", { class: "answer-full" }, a.reasoning)) : null,
    section("Expected", h("pre", {}, a.expected === null || a.expected === undefined ? "(none)" : text(a.expected))),
    diffView(a),
    section("Scores", scores(a.scores)),
    a.tool_calls ? section("Tool calls", h("pre", {}, text(a.tool_calls))) : null,
    section("Logs", logs(a)),
    a.artifacts.length ? section("Artifacts", artifactList(a)) : null,
    a.case && Object.keys(a.case.metadata || {}).length ? section("Case metadata", h("pre", {}, text(a.case.metadata))) : null,
  ];
  body.replaceChildren(...parts.filter(Boolean));
  body.scrollTop = 0;
}

function closePanel() {
  panel.hidden = true;
  document.body.classList.remove("panel-open");
  if (location.hash.startsWith("#attempt-")) history.replaceState(null, "", location.pathname + location.search);
}

function fromHash() {
  const match = location.hash.match(/^#attempt-(\d+)$/);
  if (match) openAttempt(match[1]); else if (!panel.hidden) closePanel();
}

for (const row of document.querySelectorAll("tr[data-attempt]")) {
  const open = (event) => {
    if (event.target.closest("a") && event.type === "click") return; // the link sets the hash itself
    location.hash = `attempt-${row.dataset.attempt}`;
  };
  row.addEventListener("click", open);
  row.addEventListener("keydown", (event) => { if (event.key === "Enter") open(event); });
}
document.getElementById("panel-close").addEventListener("click", closePanel);
document.addEventListener("keydown", (event) => { if (event.key === "Escape" && !panel.hidden) closePanel(); });
window.addEventListener("hashchange", fromHash);
fromHash();

// Live: while the run runs, the event stream drives the page in place. Each batch of new
// attempts (at most every LIVE_REFRESH_MS) refetches this same page, filters kept, and swaps in
// its server-rendered summary rows, attempts rows, counts and status, so rows appear and counts
// and intervals move exactly as a reload would show them; the run's end needs no reload.
const LIVE_REFRESH_MS = 500;
const LIVE_PARTS = ["#summary tbody", "#attempts tbody", "#attempts-count", "#run-status", "#errors-note"];

function liveSwap(fresh) {
  for (const selector of LIVE_PARTS) {
    const now = document.querySelector(selector);
    const next = fresh.querySelector(selector);
    if (now && next) now.replaceWith(document.adoptNode(next));
  }
  const known = new Set(JSON.parse(document.getElementById("live").dataset.seen || "[]"));
  for (const row of document.querySelectorAll("#attempts tr[data-attempt]")) {
    if (!known.has(row.dataset.attempt)) row.classList.add("live-new");
    known.add(row.dataset.attempt);
    const open = (event) => {
      if (event.target.closest("a") && event.type === "click") return;
      location.hash = `attempt-${row.dataset.attempt}`;
    };
    row.addEventListener("click", open);
    row.addEventListener("keydown", (event) => { if (event.key === "Enter") open(event); });
  }
  document.getElementById("live").dataset.seen = JSON.stringify([...known]);
  const shown = location.hash.match(/^#attempt-(\d+)$/);
  if (shown) document.querySelector(`tr[data-attempt="${CSS.escape(shown[1])}"]`)?.classList.add("selected");
}

function followLive(live) {
  const bar = document.getElementById("live-bar");
  const line = document.getElementById("live-text");
  live.dataset.seen = JSON.stringify([...document.querySelectorAll("#attempts tr[data-attempt]")].map((r) => r.dataset.attempt));
  let timer = null;
  let busy = Promise.resolve();
  const refresh = () => {
    busy = busy.then(async () => {
      const response = await fetch(location.href, { headers: { Accept: "text/html" } });
      if (!response.ok) return;
      liveSwap(new DOMParser().parseFromString(await response.text(), "text/html"));
      live.dataset.refreshed = String(Number(live.dataset.refreshed || 0) + 1);
    }).catch(() => { /* the next batch tries again */ });
    return busy;
  };
  const soon = () => {
    if (timer === null) timer = setTimeout(() => { timer = null; refresh(); }, LIVE_REFRESH_MS);
  };
  followRun(live.dataset.run, (m) => {
    if (m.type === "attempt") { soon(); return; }
    if (m.type === "error") { line.textContent = m.error; return; }
    line.textContent = progressText(m);
    setBar(bar, m);
    if (m.type === "finished") {
      clearTimeout(timer);
      timer = null;
      line.textContent = `${progressText(m)} · ${m.status}`;
      refresh().then(() => { live.dataset.finished = m.status; });
    }
  });
}

const live = document.getElementById("live");
if (live && live.dataset.status === "running") followLive(live);
