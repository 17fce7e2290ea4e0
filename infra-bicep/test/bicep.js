// Reads Bicep files into syntax trees with tree-sitter-bicep (its WebAssembly build, so nothing is
// compiled here) and offers the few queries the checks need: declarations, object properties,
// string values and the identifiers an expression refers to.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Parser = require('web-tree-sitter');

const ROOT = path.resolve(__dirname, '..');
let parserPromise;

function parser() {
  parserPromise ??= (async () => {
    await Parser.init();
    const bicep = await Parser.Language.load(require.resolve('tree-sitter-bicep/tree-sitter-bicep.wasm'));
    const p = new Parser();
    p.setLanguage(bicep);
    return p;
  })();
  return parserPromise;
}

/** Every .bicep file under infra-bicep (tests and node_modules excluded), relative paths. */
function bicepFiles() {
  const found = [];
  const visit = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'test') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.bicep')) found.push(path.relative(ROOT, full));
    }
  };
  visit(ROOT);
  return found.sort();
}

async function parseText(text) {
  return (await parser()).parse(text).rootNode;
}

async function parseFile(relative) {
  const text = fs.readFileSync(path.join(ROOT, relative), 'utf8');
  return { file: relative, text, root: await parseText(text) };
}

function walk(node, visit) {
  visit(node);
  for (let i = 0; i < node.childCount; i++) walk(node.child(i), visit);
}

/** ERROR and MISSING nodes, with their line: what a grammar-level syntax check reports. */
function problems(root) {
  const found = [];
  walk(root, (node) => {
    if (node.type === 'ERROR' || node.isMissing) {
      found.push(`${node.isMissing ? 'missing ' + node.type : 'error'} at line ${node.startPosition.row + 1}: ${node.text.slice(0, 60)}`);
    }
  });
  return found;
}

function decoratorNames(decorators) {
  if (!decorators) return [];
  return decorators.namedChildren.map((d) => d.namedChildren[0].childForFieldName('function')?.text ?? d.namedChildren[0].text);
}

/** The body object of a resource or module declaration (also behind `if (...)`). */
function bodyOf(declaration) {
  for (const child of declaration.namedChildren) {
    if (child.type === 'object') return child;
    if (child.type === 'if_statement') return child.namedChildren.find((c) => c.type === 'object');
    if (child.type === 'for_statement') return child.childForFieldName('body');
  }
  return null;
}

function stringValue(node) {
  if (!node || node.type !== 'string') return null;
  if (node.namedChildren.some((c) => c.type === 'interpolation')) return null;
  return node.namedChildren.map((c) => c.text).join('');
}

/** Top-level declarations of a file, decorators attached. */
function declarations(root) {
  const out = { params: [], vars: [], resources: [], modules: [], outputs: [] };
  let pending = null;
  for (const node of root.namedChildren) {
    if (node.type === 'decorators') {
      pending = node;
      continue;
    }
    const name = node.namedChildren[0]?.text;
    const decorators = decoratorNames(pending);
    pending = null;
    switch (node.type) {
      case 'parameter_declaration': {
        const type = node.namedChildren.find((c) => c.type === 'type');
        const value = node.namedChildren[node.namedChildren.length - 1];
        out.params.push({ name, node, decorators, type: type?.text, defaultValue: value.type === 'type' ? null : value });
        break;
      }
      case 'variable_declaration':
        out.vars.push({ name, node, value: node.namedChildren[1] });
        break;
      case 'resource_declaration': {
        const [type, apiVersion] = (stringValue(node.namedChildren[1]) ?? '').split('@');
        const existing = node.children.some((c) => c.type === 'existing');
        out.resources.push({ name, node, type, apiVersion, existing, conditional: node.namedChildren.some((c) => c.type === 'if_statement'), body: bodyOf(node) });
        break;
      }
      case 'module_declaration':
        out.modules.push({ name, node, path: stringValue(node.namedChildren[1]), body: bodyOf(node) });
        break;
      case 'output_declaration':
        out.outputs.push({ name, node, decorators, value: node.namedChildren[node.namedChildren.length - 1] });
        break;
      default:
        break;
    }
  }
  return out;
}

/** The value node of `key` in an object node, following a path of keys. */
function prop(object, ...keys) {
  let current = object;
  for (const key of keys) {
    if (!current || current.type !== 'object') return null;
    const property = current.namedChildren.find((p) => p.type === 'object_property' && p.namedChildren[0].text.replace(/'/g, '') === key);
    current = property ? property.namedChildren[1] : null;
  }
  return current;
}

/** Names an expression refers to (object keys and member names left out). */
function references(node) {
  const names = new Set();
  walk(node, (n) => {
    if (n.type !== 'identifier') return;
    const parent = n.parent;
    if (parent?.type === 'object_property' && parent.namedChildren[0].id === n.id) return;
    names.add(n.text);
  });
  return names;
}

module.exports = { ROOT, bicepFiles, parseText, parseFile, walk, problems, declarations, prop, stringValue, references };
