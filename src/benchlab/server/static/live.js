import { money } from "./dom.js";

// Follows a run over `WS /api/runs/{id}/events`; calls back on every message.
export function followRun(runId, onMessage) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/api/runs/${encodeURIComponent(runId)}/events`);
  socket.addEventListener("message", (event) => onMessage(JSON.parse(event.data)));
  return socket;
}

export function progressText(m) {
  const total = m.total ? ` / ${m.total}` : "";
  const cost = m.cost_usd ? ` · ${money(m.cost_usd)}` : "";
  return `${m.done}${total} attempts · ${m.passed} passed · ${m.errors} errors${cost}`;
}

export function setBar(bar, m) {
  const pct = m.total ? Math.min(100, (100 * m.done) / m.total) : (m.type === "finished" ? 100 : 0);
  bar.style.width = `${pct.toFixed(1)}%`;
}
