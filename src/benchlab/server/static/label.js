// The Label page: a queue of a run's answers, labeled with the keyboard. Blind while labeling:
// no model name, no scorer verdict, no agreement panel; the agreement between labelers and
// scorers appears once this labeler has nothing left to label.
import { h, text } from "./dom.js";

const setup = document.getElementById("label-setup");
const runId = setup.dataset.run;
const nameInput = document.getElementById("labeler");
const keyInput = document.getElementById("label-key");
const modeSelect = document.getElementById("mode");
const bySelect = document.getElementById("by");
const byField = document.getElementById("by-field");
const kindSelect = document.getElementById("kind");
const kindField = document.getElementById("kind-field");
const title = document.getElementById("item-title");
const progress = document.getElementById("item-progress");
const body = document.getElementById("item-body");
const choicesBox = document.getElementById("choices");
const note = document.getElementById("note");
const statusLine = document.getElementById("label-status");
const keyHelp = document.getElementById("key-help");
const agreementPanel = document.getElementById("agreement");
const agreementBody = document.getElementById("agreement-body");

// Keys per kind of label; every kind also has k/n (skip) and u/Backspace (undo).
const KEYS = {
  pass_fail: { p: "pass", f: "fail" },
  scale: { 1: "1", 2: "2", 3: "3", 4: "4", 5: "5" },
  stance: { a: "neg", "-": "neg", s: "neu", 0: "neu", d: "pos", "+": "pos", "=": "pos" },
};

const state = {
  kind: null, // {kind, title, choices, fixed}
  queue: [], // items still to show, first is current
  history: [], // [{item, labeled}] for undo
  skipped: new Set(),
  labeled: 0,
  remaining: 0,
  busy: false,
  generation: 0, // bumped when the queue restarts: answers to older requests are dropped
  queueFor: null, // the labeler the queue was asked for
  agreementAsked: 0, // the newest agreement request: older answers must not overwrite it
};

function store(kind, name, value) {
  try { (kind === "local" ? localStorage : sessionStorage).setItem(name, value); } catch (e) { /* storage off */ }
}
function load(kind, name) {
  try { return (kind === "local" ? localStorage : sessionStorage).getItem(name) || ""; } catch (e) { return ""; }
}

function fmt(value, digits = 3) {
  return value === null || value === undefined ? "–" : Number(value).toFixed(digits);
}

function labeler() { return nameInput.value.trim(); }

function say(message, bad = false) {
  statusLine.textContent = message;
  statusLine.classList.toggle("bad", bad);
}

// --- the queue ----------------------------------------------------------------------------------
function queueUrl() {
  const params = new URLSearchParams({ mode: modeSelect.value, labeler: labeler(), limit: "20" });
  if (modeSelect.value === "stratified" && bySelect.value) params.set("by", bySelect.value);
  if (!kindField.hidden && kindSelect.value) params.set("kind", kindSelect.value);
  return `/api/runs/${encodeURIComponent(runId)}/labels/queue?${params}`;
}

async function fetchQueue({ keep = false } = {}) {
  if (!labeler()) {
    title.textContent = "Who is labeling?";
    body.replaceChildren(h("p", { class: "muted" }, "Enter your name to start; it is kept in this browser."));
    choicesBox.replaceChildren();
    nameInput.focus();
    return;
  }
  const generation = state.generation;
  state.queueFor = labeler();
  const response = await fetch(queueUrl());
  const data = await response.json();
  if (generation !== state.generation) return; // the labeler changed name, mode or kind meanwhile
  if (!response.ok) {
    say(data.error || `could not load the queue (${response.status})`, true);
    return;
  }
  state.kind = data.kind;
  state.labeled = data.labeled_by_you;
  state.remaining = data.remaining;
  kindField.hidden = data.kind.fixed;
  kindSelect.value = data.kind.kind;
  document.getElementById("kind-chip").textContent = data.kind.title;
  const seen = new Set(keep ? state.queue.map((i) => i.attempt_id) : []);
  const fresh = data.items.filter((i) => !state.skipped.has(i.attempt_id) && !seen.has(i.attempt_id));
  state.queue = keep ? [...state.queue, ...fresh] : fresh;
  drawChoices();
  if (!keep) show();
}

function show() {
  const item = state.queue[0];
  progress.textContent = `${state.labeled} labeled by you · ${state.remaining} to go`;
  agreementPanel.hidden = Boolean(item) || state.remaining > 0;
  if (!agreementPanel.hidden) refreshAgreement();
  if (!item) {
    delete body.dataset.attempt;
    title.textContent = state.remaining ? "Only skipped answers are left" : "Nothing left to label";
    body.replaceChildren(h("p", { class: "muted" }, state.remaining
      ? "Press u to go back, or reload the page to see the skipped answers again."
      : "You have labeled every answer of this run. Thank you!"));
    return;
  }
  const where = [item.sample ? `sample ${item.sample}` : null, item.stratum ?? item.category]
    .filter((x) => x !== null && x !== undefined && x !== "");
  title.replaceChildren(h("span", { class: "mono" }, item.case_id), " · ", where.join(" · "));
  body.replaceChildren(...[
    section("Prompt", prompt(item.prompt)),
    section("Answer", h("pre", { class: "answer-full", id: "answer" }, item.output ?? "(no answer)")),
    section("Reference", h("pre", { id: "reference" }, item.expected === null || item.expected === undefined ? "(none)" : text(item.expected))),
    item.rubric.length ? section("Rubric", h("ul", { class: "rubric" }, ...item.rubric.map((r) =>
      h("li", {}, h("strong", {}, r.scorer), ": ", r.text)))) : null,
    levels(item.metadata),
  ].filter(Boolean));
  body.dataset.attempt = item.attempt_id;
}

function section(name, ...content) {
  return h("section", { class: "panel-section" }, h("h3", {}, name), ...content.filter(Boolean));
}

function prompt(messages) {
  const shown = messages.filter((m) => m.role !== "system");
  const system = messages.filter((m) => m.role === "system");
  return h("div", { class: "messages" },
    system.length ? h("details", { class: "system" }, h("summary", {}, "system prompt"),
      ...system.map((m) => h("pre", {}, text(m.content)))) : null,
    ...shown.map((m) => h("div", { class: `message role-${m.role}` },
      h("span", { class: "role" }, m.role), h("pre", {}, text(m.content)))));
}

function levels(metadata) {
  const rows = Object.entries(metadata || {}).filter(([k, v]) => k !== "category" && (typeof v !== "object" || v === null));
  if (!rows.length) return null;
  const value = (v) => (/^https?:\/\//.test(String(v))
    ? h("a", { href: String(v), target: "_blank", rel: "noopener noreferrer" }, String(v)) : String(v));
  return section("Case", h("dl", { class: "meta" }, ...rows.map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", {}, value(v))))));
}

function drawChoices() {
  const keys = KEYS[state.kind.kind];
  const keyOf = {};
  for (const [k, label] of Object.entries(keys)) (keyOf[label] ||= []).push(k);
  choicesBox.replaceChildren(
    ...state.kind.choices.map((c) => h("button", {
      type: "button", class: `choice choice-${c.label}`, "data-label": c.label, title: c.title,
    }, h("kbd", {}, keyOf[c.label][0]), ` ${c.label}`)),
    h("button", { type: "button", class: "ghost", "data-action": "skip" }, h("kbd", {}, "k"), " skip"),
    h("button", { type: "button", class: "ghost", "data-action": "undo" }, h("kbd", {}, "u"), " undo"),
  );
  const spoken = state.kind.choices.map((c) => `${keyOf[c.label].join(" / ")} ${c.label}`).join(" · ");
  keyHelp.textContent = `Keys: ${spoken} · k / n skip · u / Backspace undo`;
}

// --- labeling -----------------------------------------------------------------------------------
function authHeaders() {
  const key = keyInput.value.trim();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

async function label(word) {
  const item = state.queue[0];
  if (!item || state.busy) return;
  if (!labeler()) { nameInput.focus(); return; }
  state.busy = true;
  try {
    const response = await fetch(`/api/runs/${encodeURIComponent(runId)}/labels`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...authHeaders() },
      body: JSON.stringify({ attempt_id: item.attempt_id, labeler: labeler(), label: word, note: note.value.trim() || null }),
    });
    const data = await response.json();
    if (!response.ok) {
      say(data.error || `could not save the label (${response.status})`, true);
      if (response.status === 401 || response.status === 403) keyInput.focus();
      return;
    }
    note.value = "";
    state.history.push({ item, labeled: true });
    state.queue.shift();
    state.labeled += 1;
    state.remaining -= 1;
    if (!state.kind.fixed) { state.kind.fixed = true; kindField.hidden = true; }
    say(`${data.replaced ? "changed to" : "labeled"} ${data.label}: ${item.case_id}`);
    show();
    if (state.queue.length < 3) fetchQueue({ keep: true });
  } catch (e) {
    say(`could not reach the server: ${e}`, true);
  } finally {
    state.busy = false;
  }
}

function skip() {
  const item = state.queue.shift();
  if (!item) return;
  state.skipped.add(item.attempt_id);
  state.history.push({ item, labeled: false });
  say(`skipped ${item.case_id}`);
  show();
  if (state.queue.length < 3) fetchQueue({ keep: true });
}

async function undo() {
  const last = state.history.pop();
  if (!last || state.busy) return;
  const { item } = last;
  if (last.labeled) {
    state.busy = true;
    try {
      const url = `/api/runs/${encodeURIComponent(runId)}/labels/${encodeURIComponent(item.attempt_id)}?labeler=${encodeURIComponent(labeler())}`;
      const response = await fetch(url, { method: "DELETE", headers: authHeaders() });
      if (!response.ok && response.status !== 404) {
        const data = await response.json();
        say(data.error || `could not undo (${response.status})`, true);
        state.history.push(last);
        return;
      }
      state.labeled -= 1;
      state.remaining += 1;
    } finally {
      state.busy = false;
    }
  } else {
    state.skipped.delete(item.attempt_id);
  }
  state.queue = [item, ...state.queue.filter((i) => i.attempt_id !== item.attempt_id)];
  say(`back to ${item.case_id}${last.labeled ? ": label withdrawn" : ""}`);
  show();
}

// --- agreement ----------------------------------------------------------------------------------
async function refreshAgreement() {
  const asked = ++state.agreementAsked;
  const response = await fetch(`/api/runs/${encodeURIComponent(runId)}/agreement`);
  const a = await response.json();
  if (asked !== state.agreementAsked) return; // a newer refresh is on its way
  if (!response.ok) { agreementBody.replaceChildren(h("p", { class: "notice bad" }, a.error || "failed")); return; }
  agreementBody.dataset.labels = String(a.labels);
  if (!a.labels) { agreementBody.replaceChildren(h("p", { class: "muted" }, "No labels yet.")); return; }
  const b = a.between_labelers;
  const parts = [
    h("p", { class: "muted" }, `${a.labels} labels on ${a.attempts_labeled} answers by `,
      a.labelers.map((x) => `${x.labeler} (${x.labels})`).join(", ")),
    h("div", { class: "cards" },
      h("div", { class: "card", id: "alpha-card" },
        h("span", { class: "label" }, `Krippendorff's alpha · ${b.level}`),
        h("span", { class: "big", id: "alpha-value" }, fmt(b.alpha)),
        h("span", { class: "sub", id: "alpha-n" }, b.n_units
          ? `${b.n_units} answers labeled twice or more · ${fmt(b.percent_agreement === null ? null : 100 * b.percent_agreement, 0)}% agree`
          : "needs two labelers on the same answer"))),
  ];
  if (a.scorers.length) {
    parts.push(h("h3", {}, "Scorers against the humans"), h("div", { class: "scroll" }, h("table", { class: "data", id: "agreement-scorers" },
      h("thead", {}, h("tr", {}, h("th", {}, "scorer"), h("th", { class: "num" }, "n"), h("th", { class: "num" }, "kappa"), h("th", { class: "num" }, "rho"))),
      h("tbody", {}, ...a.scorers.map((s) => h("tr", { "data-scorer": s.scorer },
        h("td", {}, s.scorer), h("td", { class: "num" }, s.n),
        h("td", { class: "num kappa" }, fmt((s.kappa_weighted ?? s.kappa).kappa)),
        h("td", { class: "num rho" }, fmt(s.spearman.rho))))))));
    const first = a.scorers.find((s) => s.confusion.n > 0);
    if (first) parts.push(confusion(first));
  }
  agreementBody.replaceChildren(...parts);
}

function confusion(s) {
  const c = s.confusion;
  return h("figure", { class: "confusion", id: "confusion" },
    h("figcaption", { class: "muted" }, `humans (rows) × ${s.scorer} (columns), n = ${c.n}`),
    h("table", { class: "data" },
      h("thead", {}, h("tr", {}, h("th", {}, ""), ...c.labels.map((l) => h("th", { class: "num" }, l)))),
      h("tbody", {}, ...c.matrix.map((row, i) => h("tr", {}, h("th", {}, c.labels[i]),
        ...row.map((n, j) => h("td", { class: `num${i === j ? " diag" : ""}` }, n)))))));
}

// --- wiring -------------------------------------------------------------------------------------
function typing(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
  if (typing(event.target)) {
    if (event.key === "Escape") event.target.blur();
    return;
  }
  if (!state.kind) return;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  const word = KEYS[state.kind.kind][key];
  if (word) { event.preventDefault(); label(word); return; }
  if (key === "k" || key === "n") { event.preventDefault(); skip(); return; }
  if (key === "u" || key === "Backspace") { event.preventDefault(); undo(); }
});

choicesBox.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  button.blur(); // keep keyboard focus on the page, not on a button Space would press again
  if (button.dataset.label) label(button.dataset.label);
  else if (button.dataset.action === "skip") skip();
  else if (button.dataset.action === "undo") undo();
});

function restart() {
  state.generation += 1;
  state.queue = [];
  state.history = [];
  state.skipped.clear();
  const params = new URLSearchParams(location.search);
  params.set("mode", modeSelect.value);
  if (modeSelect.value === "stratified") params.set("by", bySelect.value); else params.delete("by");
  history.replaceState(null, "", `${location.pathname}?${params}`);
  fetchQueue();
}

nameInput.addEventListener("change", () => {
  store("local", "benchlab-labeler", labeler());
  // a name typed before the script ran already has its queue: asking again would race it
  if (labeler() !== state.queueFor) restart();
});
keyInput.addEventListener("change", () => store("session", "benchlab-label-key", keyInput.value.trim()));
modeSelect.addEventListener("change", () => { byField.hidden = modeSelect.value !== "stratified"; restart(); });
bySelect.addEventListener("change", restart);
kindSelect.addEventListener("change", restart);
setup.addEventListener("submit", (event) => event.preventDefault());
for (const input of [nameInput, keyInput]) {
  // Enter in a field hands the keyboard back to labeling (a form of several fields and no
  // button is never submitted by Enter, and Chromium fires "change" on Enter but keeps focus).
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); input.blur(); }
  });
}

const params = new URLSearchParams(location.search);
// What was typed before this module ran (it is deferred: a slow load) wins over what was stored.
nameInput.value = nameInput.value.trim() || params.get("labeler") || load("local", "benchlab-labeler");
keyInput.value = keyInput.value.trim() || load("session", "benchlab-label-key") || load("session", "benchlab-admin-key");
if (["random", "stratified", "disagreement"].includes(params.get("mode"))) modeSelect.value = params.get("mode");
if (params.get("by") && [...bySelect.options].some((o) => o.value === params.get("by"))) bySelect.value = params.get("by");
byField.hidden = modeSelect.value !== "stratified";
kindSelect.value = setup.dataset.kind;
fetchQueue();
