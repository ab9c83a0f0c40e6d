// The review queue of one production suite: its unreviewed cases one at a time, reviewed with
// the keyboard as on the label page (a accept, r reject, e edit the reference, t tags, k skip,
// u undo). What is shown, sent and keyed is review_card.js's, shared with the reviewed cases
// (reviewed.js).
import { h, text } from "./dom.js";
import {
  bindButtons, bindKeys, cardParts, earlier, fill, identity, input, provenance, reviewApi, section, tagList,
  undoPayload, verdict, verdictPayload,
} from "./review_card.js";

const {
  setup, nameInput, keyInput, title, progress, body, editBox, tagsInput, versionChip, say,
} = cardParts();
const state = { queue: [], history: [], counts: null, busy: false };

const api = reviewApi(setup.dataset.suite, { nameInput, keyInput, say, onStale: () => reload(true) });

// The unreviewed cases, in the queue's order. After a conflict (`scatter`), from a random place
// in it, wrapping round: the other reviewer is working just ahead of this page, and going on
// from the same place would meet them again at every case.
async function reload(scatter = false) {
  const data = await api.load();
  if (!data) return;
  state.counts = data.counts;
  state.queue = data.cases.filter((c) => c.review.status === "unreviewed");
  if (scatter && state.queue.length > 1) {
    const at = Math.floor(Math.random() * state.queue.length);
    state.queue = [...state.queue.slice(at), ...state.queue.slice(0, at)];
  }
  versionChip.textContent = data.suite_version;
  show();
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
  fill(body,
    item.review.history.some((past) => past.status !== "unreviewed")
      ? h("p", { class: "muted", id: "reopened" }, `Reopened: ${verdict(item.review)}`) : null,
    section("Input", input(item.input)),
    section("Production output (candidate reference)", h("pre", { class: "answer-full", id: "candidate" }, text(item.expected ?? "(none)"))),
    provenance(item.production),
    earlier(item.review),
  );
  body.dataset.case = item.id;
  editBox.value = item.expected ?? "";
  tagsInput.value = item.review.tags.join(", ");
}

// Record a verdict from the answer to a POST, keeping the counts and the suite's version.
function recorded(data) {
  state.counts = data.counts;
  versionChip.textContent = data.suite_version;
  return data.case;
}

async function decide(status) {
  const item = state.queue[0];
  if (!item || state.busy) return;
  state.busy = true;
  try {
    const payload = verdictPayload(item, status, editBox, tagsInput);
    const data = await api.send(payload);
    if (!data) return;
    const saved = recorded(data);
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
    const data = await api.send({ case_id: item.id, tags: tagList(tagsInput) });
    if (!data) return;
    const saved = recorded(data);
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
      const data = await api.send(undoPayload(before));
      if (!data) return;
      recorded(data);
    } finally {
      state.busy = false;
    }
  }
  state.history.pop();
  state.queue = [before, ...state.queue.filter((c) => c.id !== before.id)];
  say(`back to ${before.id}${last.sent ? ": verdict withdrawn" : ""}`);
  show();
}

bindKeys({
  editBox, tagsInput, accept: () => decide("accepted"), saveTags,
  keys: { a: () => decide("accepted"), r: () => decide("rejected"), k: skip, n: skip, u: undo, Backspace: undo },
});
bindButtons(document.getElementById("choices"), {
  accept: () => decide("accepted"), reject: () => decide("rejected"), skip, undo,
});
identity(nameInput, keyInput, setup);
reload();
