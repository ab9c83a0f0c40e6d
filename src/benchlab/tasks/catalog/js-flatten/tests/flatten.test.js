const test = require("node:test");
const assert = require("node:assert");
const { flatten } = require("./flatten.js");

test("flattens fully by default", () => {
  assert.deepStrictEqual(flatten([1, [2, [3, [4]]], 5]), [1, 2, 3, 4, 5]);
});

test("respects depth and leaves the input alone", () => {
  const input = [1, [2, [3, [4]]]];
  assert.deepStrictEqual(flatten(input, 1), [1, 2, [3, [4]]]);
  assert.deepStrictEqual(input, [1, [2, [3, [4]]]]);
});

test("does not use Array.prototype.flat", () => {
  const saved = Array.prototype.flat;
  Array.prototype.flat = () => { throw new Error("flat is not allowed"); };
  try {
    assert.deepStrictEqual(flatten([[1], [2]]), [1, 2]);
  } finally {
    Array.prototype.flat = saved;
  }
});
