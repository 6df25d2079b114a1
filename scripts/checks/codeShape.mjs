#!/usr/bin/env node
// Checks the shape of the code in src/ (issue 8, "Done when"), with the TypeScript compiler API:
//   file-lines      no file over 300 lines
//   function-lines  no function, method or arrow function over 60 lines (its whole text: signature to
//                   closing brace)
//   import-cycle    no import cycle (the graph of every relative import, `import type` included:
//                   a cycle is two modules that cannot be read one without the other)
//   cli-import      nothing outside src/cli/ imports from src/cli/
//   file-name       camelCase file and folder names (README.md aside)
// A finding listed in EXCEPTIONS (permanent, with the reason; mirrored in docs/design.md, "Exceptions
// to the size rules") or in KNOWN (TODO(issue 8): work under way) is printed but passes; any other
// exits 1. An entry that matches nothing any more is printed so that it can be removed.
//
// Usage: node scripts/checks/codeShape.mjs [--all] [--root DIR]
//   --all   also print the allowed findings
//   --root  check DIR/src instead of this repository's (paths in the lists are relative to DIR)
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const rootArg = process.argv.indexOf('--root');
const ROOT = rootArg > 0 ? path.resolve(process.argv[rootArg + 1] ?? '.') : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 60;

/**
 * Numeric kernels: one tight loop nest over typed arrays, whose steps share many locals; cut into
 * functions they would pass those locals around or allocate in the hot loop, and read no better.
 * `name` is the function as this script names it (see functionName); no name = every one of the file.
 */
const EXCEPTIONS = [
  {
    rule: 'function-lines',
    file: 'src/cluster/mstBoruvka.ts',
    name: 'boruvkaMst',
    reason: "Boruvka's minimum spanning tree over the kd-tree (mutual reachability): rounds of a dual-tree nearest-component search sharing bounds, union-find and typed arrays",
  },
  {
    rule: 'function-lines',
    file: 'src/cluster/condenseTree.ts',
    name: 'condenseTree',
    reason: "one breadth-first pass over the single-linkage tree into typed arrays, in the order of the hdbscan package's condense_tree (the cluster ids depend on it)",
  },
  {
    rule: 'function-lines',
    file: 'src/reduce/fast/smoothKnnDistances.ts',
    name: 'smoothKnnDistances',
    reason: "umap-learn's smooth_knn_dist step for step (rho, then a binary search for sigma per point), kept side by side with the reference",
  },
  {
    rule: 'function-lines',
    file: 'src/reduce/fast/spectralInit.ts',
    name: 'spectralInit',
    reason: 'block power iteration on the normalised graph Laplacian, then Rayleigh-Ritz per connected component; every phase shares the permutation and block buffers',
  },
];

/** Findings of today that are being worked on (issue 8); each entry goes when its finding does. */
const TODO = 'TODO(issue 8)';
const KNOWN = [
];

// --- files -----------------------------------------------------------------------------------------

function walk(dir, files, dirs) {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) {
      dirs.push(p);
      walk(p, files, dirs);
    } else files.push(p);
  }
}

const rel = (p) => path.relative(ROOT, p).split(path.sep).join('/');

// --- rules -----------------------------------------------------------------------------------------

const CAMEL = /^[a-z][a-zA-Z0-9]*$/;

function checkNames(files, dirs, findings) {
  for (const d of dirs) if (!CAMEL.test(path.basename(d))) findings.push({ rule: 'file-name', file: rel(d), detail: 'folder name is not camelCase' });
  for (const f of files) {
    const base = path.basename(f);
    if (base === 'README.md') continue;
    const stem = base.replace(/(\.d)?\.[a-z]+$/, '').replace(/\.test$/, '');
    if (!CAMEL.test(stem)) findings.push({ rule: 'file-name', file: rel(f), detail: 'file name is not camelCase' });
  }
}

/** A readable name: `fn`, `Class.method`, `outer/name` for a nested one, `outer/(callback of x)` for an anonymous one. */
function functionName(node, sf) {
  const own = ownName(node, sf);
  const outer = [];
  for (let p = node.parent; p; p = p.parent) if (isFunction(p)) outer.unshift(ownName(p, sf));
  return [...outer, own].join('/');
}

function ownName(node, sf) {
  const cls = (n) => (n.parent && (ts.isClassDeclaration(n.parent) || ts.isClassExpression(n.parent)) && n.parent.name ? n.parent.name.text + '.' : '');
  if (ts.isConstructorDeclaration(node)) return `${cls(node)}constructor`;
  if (node.name && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) || ts.isPrivateIdentifier(node.name))) return cls(node) + node.name.text;
  const p = node.parent;
  if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && p.name && !ts.isComputedPropertyName(p.name)) return cls(p) + p.name.text;
  if (ts.isCallExpression(p) || ts.isNewExpression(p)) return `(callback of ${p.expression.getText(sf).slice(0, 40)})`;
  return '(anonymous)';
}

function isFunction(n) {
  return (
    ts.isFunctionDeclaration(n) ||
    ts.isFunctionExpression(n) ||
    ts.isArrowFunction(n) ||
    ts.isMethodDeclaration(n) ||
    ts.isConstructorDeclaration(n) ||
    ts.isGetAccessorDeclaration(n) ||
    ts.isSetAccessorDeclaration(n)
  );
}

function lineOf(sf, pos) {
  return sf.getLineAndCharacterOfPosition(pos).line + 1;
}

/** Size findings and the relative imports (resolved to files) of one source file. */
function scanSource(file, findings) {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > MAX_FILE_LINES) findings.push({ rule: 'file-lines', file: rel(file), detail: `${lines} lines (limit ${MAX_FILE_LINES})` });
  const specifiers = [];
  const visit = (node) => {
    if (isFunction(node) && node.body) {
      const start = lineOf(sf, node.getStart(sf));
      const n = lineOf(sf, node.getEnd()) - start + 1;
      if (n > MAX_FUNCTION_LINES) findings.push({ rule: 'function-lines', file: rel(file), name: functionName(node, sf), line: start, detail: `${n} lines (limit ${MAX_FUNCTION_LINES})` });
    }
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push({ spec: node.moduleSpecifier.text, line: lineOf(sf, node.getStart(sf)), typeOnly: isTypeOnly(node) });
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      specifiers.push({ spec: node.arguments[0].text, line: lineOf(sf, node.getStart(sf)), typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const imports = [];
  for (const { spec, line, typeOnly } of specifiers) {
    if (!spec.startsWith('.')) continue;
    const target = resolveImport(file, spec);
    if (target) imports.push({ target, line, typeOnly });
  }
  return imports;
}

/** `import type {…}`, `import { type A, type B }`, `export type {…} from`: erased at compile time. */
function isTypeOnly(node) {
  if (ts.isExportDeclaration(node)) return node.isTypeOnly || (!!node.exportClause && ts.isNamedExports(node.exportClause) && node.exportClause.elements.length > 0 && node.exportClause.elements.every((e) => e.isTypeOnly));
  const clause = node.importClause;
  if (!clause) return false; // a side-effect import
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return !clause.name && !!named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
}

/** `./x.js` → ./x.ts (NodeNext), else ./x.ts, ./x/index.ts. */
function resolveImport(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), base + '.ts', path.join(base, 'index.ts'), base];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

function checkCliImports(graph, findings) {
  const cli = path.join(ROOT, 'src', 'cli') + path.sep;
  for (const [file, imports] of graph) {
    if (file.startsWith(cli)) continue;
    for (const { target, line } of imports) {
      if (target.startsWith(cli)) findings.push({ rule: 'cli-import', file: rel(file), name: rel(target), line, detail: `imports ${rel(target)} from src/cli/` });
    }
  }
}

/** Strongly connected components of more than one file (Tarjan), each reported with one cycle through it. */
function checkCycles(graph, findings) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  let counter = 0;
  const components = [];
  const strong = (v) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const { target: w } of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      const selfImport = (graph.get(v) ?? []).some((e) => e.target === v);
      if (comp.length > 1 || selfImport) components.push(comp);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) strong(v);
  for (const comp of components) {
    const members = comp.map(rel).sort();
    const cycle = cycleThrough(graph, new Set(comp));
    const typeOnly = cycle.slice(1).every((to, i) => (graph.get(cycle[i]) ?? []).filter((e) => e.target === to).every((e) => e.typeOnly));
    findings.push({ rule: 'import-cycle', file: members.join(' + '), detail: `cycle: ${cycle.map(rel).join(' → ')}${typeOnly ? ' (type imports only)' : ''}` });
  }
}

/** A shortest cycle from the component's first file (by name) back to it, for the message. */
function cycleThrough(graph, comp) {
  const start = [...comp].sort()[0];
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const { target: w } of graph.get(v) ?? []) {
      if (!comp.has(w)) continue;
      if (w === start) {
        const pathBack = [v];
        for (let p = prev.get(v); p; p = prev.get(p)) pathBack.unshift(p);
        return [...pathBack, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

// --- report ----------------------------------------------------------------------------------------

const matches = (entry, f) => [entry.rule].flat().includes(f.rule) && entry.file === f.file && (entry.name === undefined || entry.name === f.name);
const describe = (f) => `${f.rule.padEnd(14)} ${f.file}${f.line ? `:${f.line}` : ''}${f.name ? `  ${f.name}` : ''}: ${f.detail}`;

function main() {
  const all = process.argv.includes('--all');
  const files = [];
  const dirs = [];
  walk(path.join(ROOT, 'src'), files, dirs);
  const findings = [];
  checkNames(files, dirs, findings);
  const graph = new Map();
  for (const f of files) if (f.endsWith('.ts')) graph.set(f, scanSource(f, findings));
  checkCliImports(graph, findings);
  checkCycles(graph, findings);

  const fresh = [];
  const allowed = [];
  for (const f of findings) {
    const entry = EXCEPTIONS.find((e) => matches(e, f)) ?? KNOWN.find((e) => matches(e, f));
    if (entry) allowed.push({ f, entry });
    else fresh.push(f);
  }
  for (const f of fresh) console.log(`FAIL ${describe(f)}`);
  if (all) for (const { f, entry } of allowed) console.log(`${EXCEPTIONS.includes(entry) ? 'exception' : 'known'} ${describe(f)}\n     (${entry.reason})`);
  const stale = [...EXCEPTIONS, ...KNOWN].filter((e) => !findings.some((f) => matches(e, f)));
  for (const e of stale) console.log(`note: nothing matches ${[e.rule].flat().join('/')} ${e.file}${e.name ? ` ${e.name}` : ''} today; remove the entry once that work is done`);
  const known = allowed.filter(({ entry }) => KNOWN.includes(entry)).length;
  console.log(
    `codeShape: ${files.length} files in src/: ${fresh.length} finding(s) to fix, ${known} known (TODO issue 8), ${allowed.length - known} listed exception(s)` +
      (all ? '' : ' (--all lists them)'),
  );
  process.exitCode = fresh.length ? 1 : 0;
}

main();
