const VALUES = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };

function fromRoman(text) {
  let total = 0;
  for (let i = 0; i < text.length; i++) {
    const value = VALUES[text[i]];
    if (value === undefined) throw new Error(`not a Roman numeral: ${text}`);
    const next = VALUES[text[i + 1]];
    total += next !== undefined && next > value ? -value : value;
  }
  return total;
}

module.exports = { fromRoman };
