function flatten(items, depth = Infinity) {
  const out = [];
  for (const item of items) {
    if (Array.isArray(item) && depth > 0) {
      out.push(...flatten(item, depth - 1));
    } else {
      out.push(item);
    }
  }
  return out;
}

module.exports = { flatten };
