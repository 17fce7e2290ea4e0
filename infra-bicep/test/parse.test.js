'use strict';
// Every .bicep file parses under the Bicep grammar with no error and no missing node.
const test = require('node:test');
const assert = require('node:assert/strict');
const { bicepFiles, parseFile, parseText, problems } = require('./bicep');

test('the templates are found', () => {
  assert.ok(bicepFiles().includes('main.bicep'));
  assert.ok(bicepFiles().length >= 7, `found ${bicepFiles()}`);
});

for (const file of bicepFiles()) {
  test(`${file} parses without error or missing nodes`, async () => {
    const { root } = await parseFile(file);
    assert.deepEqual(problems(root), []);
    assert.equal(root.hasError, false);
  });
}

test('the check reports a broken template (it is not vacuous)', async () => {
  const broken = await parseText("param a string\nresource x 'A.B/c@2020-01-01' = {\n  name: 'x'\n  properties: {\n");
  assert.notDeepEqual(problems(broken), []);
  const garbage = await parseText('param = = string\n');
  assert.notDeepEqual(problems(garbage), []);
});
