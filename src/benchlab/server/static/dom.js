// Small DOM helpers shared by the page modules (run.js, label.js, live.js).

// An element with attributes and children; null/undefined children are left out,
// anything that is not a Node becomes text (never HTML).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") el.className = v; else el.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  return el;
}

// A value as display text: strings as they are, anything else as indented JSON.
export function text(value) {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

// US dollars, spelled as benchlab/format/__init__.py spells them on the server's pages and in
// the CLI: unknown -> "unknown", 4 decimals below $1 (2 significant digits when that
// would read $0.0000), cents with separators from $1 up.
export function money(usd) {
  if (usd === null || usd === undefined) return "unknown";
  const sign = usd < 0 ? "-" : "";
  const amount = Math.abs(usd);
  if (Math.round(amount * 1e4) / 1e4 >= 1) {
    return `${sign}$${amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  }
  if (amount === 0 || amount >= 0.00005) return `${sign}$${amount.toFixed(4)}`;
  return `${sign}$${amount.toFixed(1 - Math.floor(Math.log10(amount)))}`;
}

// A duration in seconds as benchlab/server/rendering.py's `secs` filter spells it on the pages:
// tenths of a second below two minutes, tenths of a minute from there.
export function seconds(value) {
  if (value === null || value === undefined) return "\u2013";
  return value < 120 ? `${value.toFixed(1)} s` : `${(value / 60).toFixed(1)} min`;
}
