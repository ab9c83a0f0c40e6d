// A word-level diff (longest common subsequence), enough to see how two short answers differ.
const MAX_TOKENS = 1500;

function tokens(text) {
  return String(text ?? "").split(/(\s+)/).filter((t) => t !== "");
}

// Returns [{op: "same" | "del" | "ins", text}], merged into runs.
export function diffWords(a, b) {
  let x = tokens(a);
  let y = tokens(b);
  if (x.length > MAX_TOKENS || y.length > MAX_TOKENS) {
    return [{ op: "del", text: String(a ?? "") }, { op: "ins", text: String(b ?? "") }];
  }
  const n = x.length, m = y.length;
  const table = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i][j] = x[i] === y[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const out = [];
  const push = (op, text) => {
    const last = out[out.length - 1];
    if (last && last.op === op) last.text += text; else out.push({ op, text });
  };
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) { push("same", x[i]); i++; j++; }
    else if (table[i + 1][j] >= table[i][j + 1]) { push("del", x[i]); i++; }
    else { push("ins", y[j]); j++; }
  }
  while (i < n) push("del", x[i++]);
  while (j < m) push("ins", y[j++]);
  return out;
}

export function renderDiff(parts) {
  const pre = document.createElement("pre");
  pre.className = "diff";
  for (const part of parts) {
    const node = part.op === "same" ? document.createTextNode(part.text) : document.createElement(part.op);
    if (part.op !== "same") node.textContent = part.text;
    pre.append(node);
  }
  return pre;
}
