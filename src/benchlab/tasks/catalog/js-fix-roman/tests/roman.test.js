const test = require("node:test");
const assert = require("node:assert");
const { fromRoman } = require("./roman.js");

test("additive and subtractive forms", () => {
  assert.strictEqual(fromRoman("III"), 3);
  assert.strictEqual(fromRoman("IV"), 4);
  assert.strictEqual(fromRoman("XC"), 90);
  assert.strictEqual(fromRoman("MCMXCIV"), 1994);
  assert.strictEqual(fromRoman("MMMCMXCIX"), 3999);
});

test("bad letters throw", () => {
  assert.throws(() => fromRoman("XIZ"), Error);
});
