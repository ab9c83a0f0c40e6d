// The Launch page: POST /api/runs with the admin key, then follow the run live.
import { followRun, progressText, setBar } from "./live.js";

const form = document.getElementById("launch-form");
const keyInput = document.getElementById("admin-key");
const errorBox = document.getElementById("launch-error");
const params = new URLSearchParams(location.search);

try { keyInput.value = sessionStorage.getItem("benchlab-admin-key") || ""; } catch (e) { /* off */ }
if (params.get("suite")) {
  for (const box of form.querySelectorAll("input[name=suites]")) box.checked = box.value === params.get("suite");
}

function showError(text) {
  errorBox.textContent = text;
  errorBox.hidden = false;
}

function chip(m) {
  if (m.error_type) return '<span class="chip err">ERROR</span>';
  if (m.passed === null || m.passed === undefined) return '<span class="chip none">—</span>';
  return m.passed ? '<span class="chip pass">PASS</span>' : '<span class="chip fail">FAIL</span>';
}

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  errorBox.hidden = true;
  const data = new FormData(form);
  const body = {
    suites: data.getAll("suites"),
    models: String(data.get("models")).split(",").map((s) => s.trim()).filter(Boolean),
    samples: Number(data.get("samples") || 1),
    seed: Number(data.get("seed") || 0),
  };
  if (data.get("limit")) body.limit = Number(data.get("limit"));
  if (data.get("concurrency")) body.concurrency = Number(data.get("concurrency"));
  const scorers = data.getAll("scorers").map(String);
  if (scorers.length) body.scorers = scorers;
  const judge = String(data.get("judge_model") || "").trim();
  if (judge) body.judge_model = judge;
  const key = String(data.get("key") || "");
  try { sessionStorage.setItem("benchlab-admin-key", key); } catch (e) { /* off */ }
  const button = document.getElementById("launch-button");
  button.disabled = true;
  try {
    const response = await fetch("/api/runs", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
    const payload = await response.json();
    if (!response.ok) {
      // The server checks suites, scorers, judge, API keys and data before starting: its
      // reason is shown here and nothing was started.
      showError(`Not started: ${payload.error || `request failed (${response.status})`}`);
      return;
    }
    watch(payload.run_id);
  } catch (e) {
    showError(`could not reach the server: ${e}`);
  } finally {
    button.disabled = false;
  }
});

function watch(runId) {
  const live = document.getElementById("live");
  const link = document.getElementById("live-run");
  const status = document.getElementById("live-status");
  const bar = document.getElementById("live-bar");
  const text = document.getElementById("live-text");
  const rows = document.getElementById("live-attempts");
  live.hidden = false;
  link.textContent = runId;
  link.href = `/runs/${runId}`;
  status.textContent = "running";
  status.className = "chip st-running";
  rows.replaceChildren();
  followRun(runId, (m) => {
    if (m.type === "attempt") {
      const tr = document.createElement("tr");
      tr.append(cell(m.case_id), cell(m.model));
      const result = document.createElement("td");
      result.innerHTML = chip(m);
      const latency = cell(m.latency_ms === null ? "–" : `${m.latency_ms.toFixed(1)} ms`);
      latency.className = "num";
      tr.append(result, latency);
      rows.prepend(tr);
      while (rows.children.length > 20) rows.lastChild.remove();
      return;
    }
    if (m.type === "error") {
      text.textContent = m.error;
      return;
    }
    text.textContent = progressText(m);
    setBar(bar, m);
    if (m.type === "finished") {
      status.textContent = m.status;
      status.className = `chip st-${m.status}`;
      text.textContent = `${progressText(m)} · ${m.status}`;
      live.dataset.finished = m.status;
    }
  });
}
