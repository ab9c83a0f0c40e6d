// The reviewed cases of one production suite: the decided cases in a list (newest verdict
// first), filtered by decision and tag, and one at a time in the card, where the queue's keys
// change a decision (a accept, r reject, e edit the reference, t tags, u undo), o reopens a
// case (back into the queue) and k / n, p move through the list. A changed case stays in the
// list, updated, until the filters change; every verdict it replaces is kept in its history.
import { h, text } from "./dom.js";
import {
  bindButtons, bindKeys, cardParts, earlier, fill, identity, input, provenance, reviewApi, section, tagList,
  undoPayload, verdictPayload,
} from "./review_card.js";

const filters = document.getElementById("reviewed-filters");
const decisionSelect = document.getElementById("decision");
const tagSelect = document.getElementById("tag");
const listBody = document.querySelector("#reviewed-list tbody");
const {
  setup, nameInput, keyInput, title, progress, body, editBox, tagsInput, versionChip, say,
} = cardParts();
const state = { cases: [], index: 0, history: [], counts: null, busy: false };

const current = () => state.cases[state.index];

async function reload() {
  const keep = current()?.id;
  const params = new URLSearchParams({ decision: decisionSelect.value });
  if (tagSelect.value) params.set("tag", tagSelect.value);
  const data = await api.load(params);
  if (!data) return;
  state.counts = data.counts;
  versionChip.textContent = data.suite_version;
  state.cases = data.cases.slice().sort((a, b) => (b.review.at ?? "").localeCompare(a.review.at ?? ""));
  state.index = Math.max(0, state.cases.findIndex((c) => c.id === keep));
  tagOptions(data.tags);
  show();
}

const api = reviewApi(setup.dataset.suite, { nameInput, keyInput, say, onStale: reload });

function tagOptions(tags) {
  const chosen = tagSelect.value;
  tagSelect.replaceChildren(h("option", { value: "" }, "any"),
    ...tags.map((t) => h("option", { value: t }, t)));
  tagSelect.value = tags.includes(chosen) ? chosen : "";
}

function decisionCell(review, edited) {
  const kind = review.status === "accepted" ? "pass" : review.status === "rejected" ? "fail" : "";
  return h("td", {}, h("span", { class: `chip ${kind}` }, review.status), edited ? " edited" : "");
}

function list() {
  if (!state.cases.length) {
    listBody.replaceChildren(h("tr", {}, h("td", { colspan: "5", class: "empty" }, "No reviewed case matches these filters.")));
    return;
  }
  listBody.replaceChildren(...state.cases.map((c, i) => {
    const row = h("tr", { "data-case": c.id, class: "pickable" },
      h("td", { class: "mono" }, c.id), decisionCell(c.review, c.review.original !== null),
      h("td", {}, c.review.by ?? ""), h("td", { class: "mono" }, c.review.at ?? ""),
      h("td", {}, ...c.review.tags.map((t) => h("span", { class: "chip tag" }, t))));
    if (i === state.index) row.setAttribute("aria-current", "true");
    return row;
  }));
}

function show() {
  list();
  const item = current();
  const c = state.counts || { accepted: 0, rejected: 0, unreviewed: 0 };
  const where = state.cases.length ? `${Math.min(state.index + 1, state.cases.length)} of ${state.cases.length} · ` : "";
  progress.textContent = `${where}${c.accepted} accepted · ${c.rejected} rejected · ${c.unreviewed} unreviewed`;
  if (!item) {
    delete body.dataset.case;
    title.textContent = state.cases.length ? "End of the list" : "Nothing to show";
    body.replaceChildren(h("p", { class: "muted" }, state.cases.length
      ? "Press p or u to go back, or change the filters."
      : "No reviewed case matches these filters."));
    editBox.value = "";
    tagsInput.value = "";
    return;
  }
  const r = item.review;
  title.replaceChildren(h("span", { class: "mono" }, item.id), item.category ? ` · ${item.category}` : "");
  fill(body,
    section("Decision", h("dl", { class: "meta", id: "decision-now" },
      ...[["decision", r.status], ["by", r.by], ["at", r.at], ["tags", r.tags.join(", ")]]
        .filter(([, v]) => v).map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", {}, v))))),
    section("Input", input(item.input)),
    section(r.original !== null ? "Reference answer (edited by a reviewer)" : "Reference answer (the production output)",
      h("pre", { class: "answer-full", id: "reference" }, text(item.expected ?? "(none)"))),
    r.original !== null ? section("Production output (replaced)", h("pre", { class: "answer-full", id: "original" }, text(r.original))) : null,
    provenance(item.production),
    earlier(r),
  );
  body.dataset.case = item.id;
  editBox.value = item.expected ?? "";
  tagsInput.value = r.tags.join(", ");
}

function move(step) {
  state.index = Math.min(Math.max(state.index + step, 0), state.cases.length);
  show();
}

// Put the case the server answered in place of the one shown, and keep the counts.
function recorded(index, data) {
  state.counts = data.counts;
  versionChip.textContent = data.suite_version;
  state.cases[index] = data.case;
  return data.case;
}

async function decide(status) {
  const item = current();
  if (!item || state.busy) return;
  state.busy = true;
  try {
    const payload = verdictPayload(item, status, editBox, tagsInput);
    const index = state.index;
    const data = await api.send(payload);
    if (!data) return;
    const saved = recorded(index, data);
    state.history.push({ before: item, index, sent: true });
    const done = status === "unreviewed" ? "reopened" : status;
    say(`${done} ${item.id}${payload.expected !== undefined ? " with an edited reference" : ""} by ${saved.review.by}`);
    move(1);
  } finally {
    state.busy = false;
  }
}

async function saveTags() {
  const item = current();
  if (!item || state.busy) return;
  state.busy = true;
  try {
    const index = state.index;
    const data = await api.send({ case_id: item.id, tags: tagList(tagsInput) });
    if (!data) return;
    const saved = recorded(index, data);
    say(`tagged ${item.id}: ${saved.review.tags.join(", ") || "(no tags)"}`);
    show();
  } finally {
    state.busy = false;
  }
}

function next() {
  const item = current();
  if (!item) return;
  state.history.push({ before: item, index: state.index, sent: false });
  move(1);
}

async function undo() {
  const last = state.history.at(-1);
  if (!last || state.busy) return;
  const { before } = last;
  let index = state.cases.findIndex((c) => c.id === before.id);
  if (last.sent) {
    state.busy = true;
    try {
      const data = await api.send(undoPayload(before));
      if (!data) return;
      if (index < 0) {  // a reload (a 409) dropped it from the list: put it back where it was
        index = Math.min(last.index, state.cases.length);
        state.cases.splice(index, 0, data.case);
      }
      recorded(index, data);
    } finally {
      state.busy = false;
    }
  }
  state.history.pop();
  state.index = index < 0 ? Math.min(last.index, state.cases.length) : index;
  say(`back to ${before.id}${last.sent ? `: ${before.review.status} again` : ""}`);
  show();
}

bindKeys({
  editBox, tagsInput, accept: () => decide("accepted"), saveTags,
  keys: {
    a: () => decide("accepted"), r: () => decide("rejected"), o: () => decide("unreviewed"),
    k: next, n: next, p: () => move(-1), u: undo, Backspace: undo,
  },
});
bindButtons(document.getElementById("choices"), {
  accept: () => decide("accepted"), reject: () => decide("rejected"), reopen: () => decide("unreviewed"),
  previous: () => move(-1), skip: next, undo,
});
listBody.addEventListener("click", (event) => {
  const row = event.target.closest("tr[data-case]");
  if (!row) return;
  state.index = state.cases.findIndex((c) => c.id === row.dataset.case);
  show();
});
filters.addEventListener("submit", (event) => event.preventDefault());
for (const select of [decisionSelect, tagSelect]) {
  select.addEventListener("change", () => {
    const params = new URLSearchParams(location.search);
    params.set("decision", decisionSelect.value);
    if (tagSelect.value) params.set("tag", tagSelect.value); else params.delete("tag");
    history.replaceState(null, "", `?${params}`);
    state.history = [];
    state.index = 0;
    state.cases = [];
    reload();
    select.blur();
  });
}
identity(nameInput, keyInput, setup);
reload();
