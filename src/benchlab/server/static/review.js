// The review queue of one production suite: its unreviewed cases one at a time, reviewed with
// the keyboard as on the label page (a accept, r reject, e edit the reference, t tags, k skip,
// u undo). Every write names the file version this page read; a 409 means someone else
// changed the suite meanwhile, and the queue reloads.
import { h, text } from "./dom.js";

const setup = document.getElementById("review-setup");
const suite = setup.dataset.suite;
const nameInput = document.getElementById("reviewer");
const keyInput = document.getElementById("review-key");
const title = document.getElementById("item-title");
const progress = document.getElementById("item-progress");
const body = document.getElementById("item-body");
const editBox = document.getElementById("reference-edit");
const tagsInput = document.getElementById("tags");
const choices = document.getElementById("choices");
const statusLine = document.getElementById("review-status");
const versionChip = document.getElementById("suite-version");

const state = { version: null, queue: [], history: [], counts: null, busy: false };

function store(kind, name, value) {
  try { (kind === "local" ? localStorage : sessionStorage).setItem(name, value); } catch (e) { /* storage off */ }
}
function load(kind, name) {
  try { return (kind === "local" ? localStorage : sessionStorage).getItem(name) || ""; } catch (e) { return ""; }
}

function say(message, bad = false) {
  statusLine.textContent = message;
  statusLine.classList.toggle("bad", bad);
}

const apiUrl = `/api/review/${encodeURIComponent(suite)}`;

async function reload() {
  const response = await fetch(apiUrl);
  const data = await response.json();
  if (!response.ok) { say(data.error || `could not load the suite (${response.status})`, true); return; }
  state.version = data.version;
  state.counts = data.counts;
  state.queue = data.cases.filter((c) => c.review.status === "unreviewed");
  versionChip.textContent = data.suite_version;
  show();
}

function section(name, ...content) {
  return h("section", { class: "panel-section" }, h("h3", {}, name), ...content.filter(Boolean));
}

function input(value) {
  if (typeof value === "string") return h("pre", { id: "input" }, value);
  const shown = value.filter((m) => m.role !== "system");
  const system = value.filter((m) => m.role === "system");
  return h("div", { class: "messages", id: "input" },
    system.length ? h("details", { class: "system" }, h("summary", {}, "system prompt"),
      ...system.map((m) => h("pre", {}, m.content))) : null,
    ...shown.map((m) => h("div", { class: `message role-${m.role}` },
      h("span", { class: "role" }, m.role), h("pre", {}, m.content))));
}

function provenance(p) {
  const f = p.feedback;
  const feedback = f ? [f.score !== null && f.score !== undefined ? `score ${f.score}` : null, f.label, f.comment]
    .filter((x) => x !== null && x !== undefined && x !== "").join(" · ") : "none";
  const rows = [
    ["source", p.source ? `${p.source}${p.source_line ? `:${p.source_line}` : ""}` : null],
    ["format", p.source_format], ["logged", p.timestamp], ["model", p.model],
    ["feedback", feedback], ["stands for", p.dedupe_count ? `${p.dedupe_count} logged sample(s)` : null],
  ].filter(([, v]) => v !== null && v !== undefined && v !== "");
  return section("Provenance", h("dl", { class: "meta", id: "provenance" },
    ...rows.map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", {}, String(v))))));
}

function show() {
  const item = state.queue[0];
  const c = state.counts || { accepted: 0, rejected: 0, unreviewed: 0 };
  progress.textContent = `${c.accepted} accepted · ${c.rejected} rejected · ${c.unreviewed} unreviewed`;
  if (!item) {
    delete body.dataset.case;
    title.textContent = c.unreviewed ? "Only skipped cases are left" : "Every case is reviewed";
    body.replaceChildren(h("p", { class: "muted" }, c.unreviewed
      ? "Press u to go back, or reload the page to see the skipped cases again."
      : "Run the suite: benchlab run SUITE asks the accepted cases."));
    editBox.value = "";
    tagsInput.value = "";
    return;
  }
  title.replaceChildren(h("span", { class: "mono" }, item.id), item.category ? ` · ${item.category}` : "");
  body.replaceChildren(
    section("Input", input(item.input)),
    section("Production output (candidate reference)", h("pre", { class: "answer-full", id: "candidate" }, text(item.expected ?? "(none)"))),
    provenance(item.production),
  );
  body.dataset.case = item.id;
  editBox.value = item.expected ?? "";
  tagsInput.value = item.review.tags.join(", ");
}

function headers() {
  const key = keyInput.value.trim();
  return { "Content-Type": "application/json", ...(key ? { Authorization: `Bearer ${key}` } : {}) };
}

function tagList() {
  return tagsInput.value.split(",").map((t) => t.trim()).filter(Boolean);
}

function sameTags(a, b) { return a.length === b.length && a.every((t, i) => t === b[i]); }

// POST one verdict; returns the reviewed case, or null (the reason is on the status line).
async function send(payload) {
  const reviewer = nameInput.value.trim();
  const response = await fetch(apiUrl, {
    method: "POST",
    headers: headers(),
    body: JSON.stringify({ ...payload, version: state.version, ...(reviewer ? { reviewer } : {}) }),
  });
  const data = await response.json();
  if (response.status === 409) {
    say(`${data.error} (reloaded)`, true);
    await reload();
    return null;
  }
  if (!response.ok) {
    say(data.error || `could not save (${response.status})`, true);
    if (response.status === 401 || response.status === 403) keyInput.focus();
    return null;
  }
  state.version = data.version;
  state.counts = data.counts;
  versionChip.textContent = data.suite_version;
  return data.case;
}

async function decide(status) {
  const item = state.queue[0];
  if (!item || state.busy) return;
  state.busy = true;
  try {
    const payload = { case_id: item.id, status };
    const edited = editBox.value;
    if (status === "accepted" && edited.trim() && edited !== (item.expected ?? "")) payload.expected = edited;
    const tags = tagList();
    if (!sameTags(tags, item.review.tags)) payload.tags = tags;
    const saved = await send(payload);
    if (!saved) return;
    state.history.push({ before: item, sent: true });
    state.queue.shift();
    say(`${status} ${item.id}${payload.expected !== undefined ? " with an edited reference" : ""} by ${saved.review.by}`);
    show();
  } finally {
    state.busy = false;
  }
}

async function saveTags() {
  const item = state.queue[0];
  if (!item || state.busy) return;
  state.busy = true;
  try {
    const saved = await send({ case_id: item.id, tags: tagList() });
    if (!saved) return;
    item.review.tags = saved.review.tags;
    say(`tagged ${item.id}: ${saved.review.tags.join(", ") || "(no tags)"}`);
  } finally {
    state.busy = false;
  }
}

function skip() {
  const item = state.queue.shift();
  if (!item) return;
  state.history.push({ before: item, sent: false });
  say(`skipped ${item.id}`);
  show();
}

async function undo() {
  const last = state.history.at(-1);
  if (!last || state.busy) return;
  const { before } = last;
  if (last.sent) {
    state.busy = true;
    try {
      const payload = { case_id: before.id, status: before.review.status, tags: before.review.tags };
      if (before.expected) payload.expected = before.expected;
      if (!(await send(payload))) return;
    } finally {
      state.busy = false;
    }
  }
  state.history.pop();
  state.queue = [before, ...state.queue.filter((c) => c.id !== before.id)];
  say(`back to ${before.id}${last.sent ? ": verdict withdrawn" : ""}`);
  show();
}

function typing(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

document.addEventListener("keydown", (event) => {
  if (event.isComposing) return;
  if (event.target === editBox && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault(); editBox.blur(); decide("accepted"); return;
  }
  if (event.target === tagsInput && event.key === "Enter") {
    event.preventDefault(); tagsInput.blur(); saveTags(); return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (typing(event.target)) {
    if (event.key === "Escape") event.target.blur();
    return;
  }
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  const act = {
    a: () => decide("accepted"), r: () => decide("rejected"),
    e: () => editBox.focus(), t: () => tagsInput.focus(),
    k: skip, n: skip, u: undo, Backspace: undo,
  }[key];
  if (act) { event.preventDefault(); act(); }
});

choices.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  button.blur();
  const action = button.dataset.action;
  if (action === "accept") decide("accepted");
  else if (action === "reject") decide("rejected");
  else if (action === "skip") skip();
  else if (action === "undo") undo();
});

setup.addEventListener("submit", (event) => event.preventDefault());
for (const field of [nameInput, keyInput]) {
  field.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); field.blur(); } });
}
nameInput.addEventListener("change", () => store("local", "benchlab-labeler", nameInput.value.trim()));
keyInput.addEventListener("change", () => store("session", "benchlab-label-key", keyInput.value.trim()));
nameInput.value = new URLSearchParams(location.search).get("reviewer") || load("local", "benchlab-labeler");
keyInput.value = load("session", "benchlab-label-key") || load("session", "benchlab-admin-key");
reload();
