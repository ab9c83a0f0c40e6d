// What the review queue (review.js) and the reviewed cases (reviewed.js) share: how a case is
// shown, how a verdict is sent (naming the version of the case this page read; a 409 means
// someone else changed that case meanwhile: the page says who and when, and reloads; verdicts
// on other cases of the suite are no conflict), the reviewer's name and key, and
// the keys: a accept, r reject, e edit the reference (Ctrl+Enter accepts the edited one),
// t tags (Enter saves), k / n next, u / Backspace undo, Esc leaves a field.
import { h, text } from "./dom.js";

function store(kind, name, value) {
  try { (kind === "local" ? localStorage : sessionStorage).setItem(name, value); } catch (e) { /* storage off */ }
}
function load(kind, name) {
  try { return (kind === "local" ? localStorage : sessionStorage).getItem(name) || ""; } catch (e) { return ""; }
}

// The elements both pages have (_reviewer.html, _review_card.html), and the status line's voice.
export function cardParts() {
  const get = (id) => document.getElementById(id);
  const statusLine = get("review-status");
  return {
    setup: get("review-setup"), nameInput: get("reviewer"), keyInput: get("review-key"),
    title: get("item-title"), progress: get("item-progress"), body: get("item-body"),
    editBox: get("reference-edit"), tagsInput: get("tags"), versionChip: get("suite-version"),
    say(message, bad = false) {
      statusLine.textContent = message;
      statusLine.classList.toggle("bad", bad);
    },
  };
}

export function section(name, ...content) {
  return h("section", { class: "panel-section" }, h("h3", {}, name), ...content.filter(Boolean));
}

export function input(value) {
  if (typeof value === "string") return h("pre", { id: "input" }, value);
  const shown = value.filter((m) => m.role !== "system");
  const system = value.filter((m) => m.role === "system");
  return h("div", { class: "messages", id: "input" },
    system.length ? h("details", { class: "system" }, h("summary", {}, "system prompt"),
      ...system.map((m) => h("pre", {}, m.content))) : null,
    ...shown.map((m) => h("div", { class: `message role-${m.role}` },
      h("span", { class: "role" }, m.role), h("pre", {}, m.content))));
}

function rows(id, pairs) {
  const kept = pairs.filter(([, v]) => v !== null && v !== undefined && v !== "");
  return h("dl", { class: "meta", id }, ...kept.map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", {}, String(v)))));
}

export function provenance(p) {
  const f = p.feedback;
  const feedback = f ? [f.score !== null && f.score !== undefined ? `score ${f.score}` : null, f.label, f.comment]
    .filter((x) => x !== null && x !== undefined && x !== "").join(" · ") : "none";
  return section("Provenance", rows("provenance", [
    ["source", p.source ? `${p.source}${p.source_line ? `:${p.source_line}` : ""}` : null],
    ["format", p.source_format], ["logged", p.timestamp], ["model", p.model],
    ["feedback", feedback], ["stands for", p.dedupe_count ? `${p.dedupe_count} logged sample(s)` : null],
  ]));
}

// One verdict as a line: "rejected by bo at 2026-12-07T10:00:00Z · tags: tone".
export function verdict(review) {
  const who = review.by ? ` by ${review.by}` : "";
  const when = review.at ? ` at ${review.at}` : "";
  const tags = review.tags && review.tags.length ? ` · tags: ${review.tags.join(", ")}` : "";
  return `${review.status}${who}${when}${tags}`;
}

// The card's parts, those a case has (a part it lacks is null, not the text "null").
export function fill(body, ...parts) {
  body.replaceChildren(...parts.filter(Boolean));
}

// The verdicts a later one replaced, newest first; nothing when there are none.
export function earlier(review) {
  if (!review.history.length) return null;
  return section("Earlier verdicts", h("ul", { id: "review-history" },
    ...review.history.slice().reverse().map((past) => h("li", {}, verdict(past),
      past.expected !== null && past.expected !== undefined
        ? h("details", {}, h("summary", {}, "the reference then"), h("pre", {}, text(past.expected))) : null))));
}

// The reviewer's name and key fields: remembered as the label page remembers them.
export function identity(nameInput, keyInput, setup) {
  setup.addEventListener("submit", (event) => event.preventDefault());
  for (const field of [nameInput, keyInput]) {
    field.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); field.blur(); } });
  }
  nameInput.addEventListener("change", () => store("local", "benchlab-labeler", nameInput.value.trim()));
  keyInput.addEventListener("change", () => store("session", "benchlab-label-key", keyInput.value.trim()));
  // What was typed before this module ran (it is deferred: a slow load) wins over what was stored.
  nameInput.value = nameInput.value.trim() || new URLSearchParams(location.search).get("reviewer") || load("local", "benchlab-labeler");
  keyInput.value = keyInput.value.trim() || load("session", "benchlab-label-key") || load("session", "benchlab-admin-key");
}

// The suite's review API for one page: it keeps the version of each case it read (or wrote)
// to send back with a verdict on that case.
export function reviewApi(suite, { nameInput, keyInput, say, onStale }) {
  const url = `/api/review/${encodeURIComponent(suite)}`;
  const versions = new Map();
  const api = {};
  api.load = async (params) => {
    const response = await fetch(params && params.toString() ? `${url}?${params}` : url);
    const data = await response.json();
    if (!response.ok) { say(data.error || `could not load the suite (${response.status})`, true); return null; }
    for (const c of data.cases) versions.set(c.id, c.version);
    return data;
  };
  // POST one verdict; the answer, or null (the reason is on the status line).
  api.send = async (payload) => {
    const reviewer = nameInput.value.trim();
    const key = keyInput.value.trim();
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(key ? { Authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({
        ...payload, case_version: versions.get(payload.case_id), ...(reviewer ? { reviewer } : {}),
      }),
    });
    const data = await response.json();
    if (response.status === 409) {
      await onStale();  // then say why, after anything the reload says
      say(data.changed_by
        ? `${data.changed_by} changed ${data.case_id} at ${data.changed_at} after this page read it: `
          + "your verdict was not saved; reloaded, look again"
        : `${data.error} (reloaded)`, true);
      return null;
    }
    if (!response.ok) {
      say(data.error || `could not save (${response.status})`, true);
      if (response.status === 401 || response.status === 403) keyInput.focus();
      return null;
    }
    versions.set(data.case.id, data.case.version);
    return data;
  };
  return api;
}

export function tagList(tagsInput) {
  return tagsInput.value.split(",").map((t) => t.trim()).filter(Boolean);
}

export function sameTags(a, b) { return a.length === b.length && a.every((t, i) => t === b[i]); }

// The verdict a key or button asks for on `item`: the edited reference goes with an accept
// only, the tags whenever they changed.
export function verdictPayload(item, status, editBox, tagsInput) {
  const payload = { case_id: item.id, status };
  const edited = editBox.value;
  if (status === "accepted" && edited.trim() && edited !== (item.expected ?? "")) payload.expected = edited;
  const tags = tagList(tagsInput);
  if (!sameTags(tags, item.review.tags)) payload.tags = tags;
  return payload;
}

// What undo sends: the case as it was before the verdict being withdrawn.
export function undoPayload(before) {
  const payload = { case_id: before.id, status: before.review.status, tags: before.review.tags };
  if (before.expected) payload.expected = before.expected;
  return payload;
}

function typing(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

// The keyboard: `keys` maps a lower-case key (or "Backspace") to its action.
export function bindKeys({ editBox, tagsInput, accept, saveTags, keys }) {
  document.addEventListener("keydown", (event) => {
    if (event.isComposing) return;
    if (event.target === editBox && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault(); editBox.blur(); accept(); return;
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
    const act = { e: () => editBox.focus(), t: () => tagsInput.focus(), ...keys }[key];
    if (act) { event.preventDefault(); act(); }
  });
}

// The action buttons: each names its action in data-action.
export function bindButtons(box, actions) {
  box.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    button.blur();
    const act = actions[button.dataset.action];
    if (act) act();
  });
}
