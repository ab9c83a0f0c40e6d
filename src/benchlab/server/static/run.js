// The Run page: a row opens the attempt panel (static/attempt_panel.js, which follows
// #attempt-ID in the address), and live progress while the run is still going.
import "./attempt_panel.js";
import { drawAll } from "./charts.js";
import { seconds } from "./dom.js";
import { followRun, progressText, setBar } from "./live.js";

// Delegated, so rows added to the table later (live updates) open the panel too.
function rowOpens(event) {
  const row = event.target.closest("tr[data-attempt]");
  if (!row) return;
  if (event.type === "click" && event.target.closest("a")) return; // the link sets the hash itself
  if (event.type === "keydown" && event.key !== "Enter") return;
  location.hash = `attempt-${row.dataset.attempt}`;
}
document.addEventListener("click", rowOpens);
document.addEventListener("keydown", rowOpens);

// Live: while the run runs, the event stream drives the page in place. Each batch of new
// attempts (at most every LIVE_REFRESH_MS) refetches this same page, filters kept, and swaps in
// its server-rendered summary rows, pass-rate chart, category table, attempts rows, counts and
// status, so rows appear and counts and intervals move exactly as a reload would show them; the
// run's end needs no reload. The errors note and the run's own notices are swapped through
// wrappers that are always there, so the first error of a run that had none shows up too.
const LIVE_REFRESH_MS = 500;
const LIVE_PARTS = [
  "#summary tbody", "#run-rates", "#attempts tbody", "#attempts-count", "#run-status",
  "#run-duration", "#run-errors", "#run-notices",
];
const TICK_MS = 200;

// The plot already drawn stays (plotly then moves its bars instead of redrawing the chart from
// nothing), and a "Numbers" fold the reader opened stays open.
function keepState(now, next) {
  const plot = now.querySelector(".plot[data-figure]");
  const fresh = plot && next.querySelector(`#${CSS.escape(plot.id)}`);
  if (fresh) fresh.replaceWith(plot);
  const open = [...now.querySelectorAll("details")].map((d) => d.open);
  next.querySelectorAll("details").forEach((d, i) => { if (open[i]) d.open = true; });
}

function liveSwap(fresh) {
  for (const selector of LIVE_PARTS) {
    const now = document.querySelector(selector);
    const next = fresh.querySelector(selector);
    if (!now || !next) continue;
    const adopted = document.adoptNode(next);
    keepState(now, adopted);
    now.replaceWith(adopted);
  }
  drawAll();
  // Rows need no listeners of their own: rowOpens is delegated from the document.
  const known = new Set(JSON.parse(document.getElementById("live").dataset.seen || "[]"));
  for (const row of document.querySelectorAll("#attempts tr[data-attempt]")) {
    if (!known.has(row.dataset.attempt)) row.classList.add("live-new");
    known.add(row.dataset.attempt);
  }
  document.getElementById("live").dataset.seen = JSON.stringify([...known]);
  const shown = location.hash.match(/^#attempt-(\d+)$/);
  if (shown) document.querySelector(`tr[data-attempt="${CSS.escape(shown[1])}"]`)?.classList.add("selected");
}

// Between refreshes the duration counts on from what the server last rendered (its clock, not
// the browser's, which may be off), never backwards; the refresh at the run's end brings the
// stored duration without data-elapsed, and the count stops there.
function durationTicker() {
  let longest = 0;
  return () => {
    const field = document.getElementById("run-duration");
    if (!field || field.dataset.elapsed === undefined) return;
    field.dataset.since ??= String(performance.now());
    const now = Number(field.dataset.elapsed) + (performance.now() - Number(field.dataset.since)) / 1000;
    longest = Math.max(longest, now);
    field.textContent = seconds(longest);
  };
}

function followLive(live) {
  const bar = document.getElementById("live-bar");
  const line = document.getElementById("live-text");
  live.dataset.seen = JSON.stringify([...document.querySelectorAll("#attempts tr[data-attempt]")].map((r) => r.dataset.attempt));
  let timer = null;
  let busy = Promise.resolve();
  const ticking = setInterval(durationTicker(), TICK_MS);
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
      clearInterval(ticking);
      clearTimeout(timer);
      timer = null;
      line.textContent = `${progressText(m)} · ${m.status}`;
      refresh().then(() => { live.dataset.finished = m.status; });
    }
  });
}

const live = document.getElementById("live");
if (live && live.dataset.status === "running") followLive(live);
