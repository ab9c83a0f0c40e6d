function toCamelCase(text) {
  // TODO
  return text;
}

module.exports = { toCamelCase };
