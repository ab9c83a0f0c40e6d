const test = require("node:test");
const assert = require("node:assert");
const { toCamelCase } = require("./camel.js");

test("words become camelCase", () => {
  assert.strictEqual(toCamelCase("Hello  big-world_x"), "helloBigWorldX");
  assert.strictEqual(toCamelCase("ALREADY"), "already");
});

test("separators at the ends are ignored", () => {
  assert.strictEqual(toCamelCase("  -snake_case_name- "), "snakeCaseName");
  assert.strictEqual(toCamelCase(""), "");
});
