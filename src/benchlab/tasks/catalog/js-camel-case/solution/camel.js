function toCamelCase(text) {
  const words = text.toLowerCase().split(/[\s_-]+/).filter(Boolean);
  return words
    .map((word, i) => (i === 0 ? word : word[0].toUpperCase() + word.slice(1)))
    .join("");
}

module.exports = { toCamelCase };
