import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { createProgram, isPackageSource, PUBLIC_ENTRIES, publicSymbols, root, type PublicSymbol } from '../support/publicEntries.js';

/**
 * A user reads the package through its TSDoc (editor hovers, the d.ts files). Every name a public entry exports has a
 * TSDoc summary, and every function, component, hook or class that can throw when called (bad options, a hook outside
 * its provider) says what it throws with `@throws`, as does every method of an exported interface whose
 * implementation can throw.
 */

/** The TSDoc blocks written on a declaration (for a `const`, on its statement). */
function docsOf(declaration: ts.Node): ts.JSDoc[] {
  return ts.getJSDocCommentsAndTags(declaration).filter((node): node is ts.JSDoc => ts.isJSDoc(node));
}

function hasSummary(declaration: ts.Node): boolean {
  return docsOf(declaration).some((doc) => ts.getTextOfJSDocComment(doc.comment)?.trim());
}

function hasThrowsTag(declaration: ts.Node): boolean {
  return docsOf(declaration).some((doc) => (doc.tags ?? []).some((tag) => tag.tagName.text === 'throws'));
}

const where = (node: ts.Node): string => {
  const file = node.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(node.getStart());
  return `${file.fileName.slice(root.length + 1)}:${line + 1}`;
};

/** Names exported without a TSDoc summary on any of their declarations. */
export function undocumentedExports(symbols: readonly PublicSymbol[]): string[] {
  return symbols
    .filter((s) => s.declarations.length > 0 && s.declarations.every((d) => isPackageSource(d.getSourceFile())))
    .filter((s) => !s.declarations.some(hasSummary))
    .map((s) => `${s.entry}: ${s.name} (${where(s.declarations[0]!)})`);
}

type Body = ts.FunctionLikeDeclaration & { body: ts.Node };

/** The function-like declarations that run when the symbol is called or constructed. */
function callables(declaration: ts.Declaration): Body[] {
  const bodies: ts.Node[] = [];
  if (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration) || ts.isConstructorDeclaration(declaration)) {
    bodies.push(declaration);
  } else if (ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined) {
    const init = declaration.initializer;
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) bodies.push(init);
  } else if (ts.isClassDeclaration(declaration)) {
    bodies.push(...declaration.members.filter(ts.isConstructorDeclaration));
  }
  return bodies.filter((b): b is Body => (b as ts.FunctionLikeDeclaration).body !== undefined);
}

/**
 * Whether calling `fn` can throw: a `throw` in its own body outside a `try … catch`, or a call in its body (not in a
 * callback it defines) to a function of this package that can throw. Callbacks run later, so they are not followed;
 * nor are async functions, whose throws are rejections.
 */
function canThrow(fn: Body, checker: ts.TypeChecker, seen = new Set<ts.Node>()): boolean {
  if (seen.has(fn)) return false;
  seen.add(fn);
  // A throw in an async function is a rejection of the promise it returns, not a throw at the call.
  if (ts.getCombinedModifierFlags(fn) & ts.ModifierFlags.Async) return false;
  const visit = (node: ts.Node, caught: boolean): boolean => {
    if (node !== fn && ts.isFunctionLike(node)) return false;
    if (ts.isClassLike(node)) return false;
    if (ts.isThrowStatement(node)) return !caught;
    if (ts.isTryStatement(node)) {
      return (
        visit(node.tryBlock, caught || node.catchClause !== undefined) ||
        (node.catchClause !== undefined && visit(node.catchClause.block, caught)) ||
        (node.finallyBlock !== undefined && visit(node.finallyBlock, caught))
      );
    }
    if (!caught && (ts.isCallExpression(node) || ts.isNewExpression(node))) {
      const declaration = checker.getResolvedSignature(node)?.declaration;
      const targets: ts.Declaration[] = [];
      if (declaration !== undefined && !ts.isJSDocSignature(declaration)) targets.push(declaration);
      else if (ts.isNewExpression(node)) {
        const symbol = checker.getSymbolAtLocation(node.expression);
        const resolved = symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        targets.push(...(resolved?.declarations ?? []));
      }
      for (const target of targets) {
        if (!isPackageSource(target.getSourceFile())) continue;
        const implementations = ts.isClassDeclaration(target) ? callables(target) : callables(target.parent && ts.isVariableDeclaration(target.parent) ? target.parent : target);
        const direct = ts.isFunctionLike(target) && (target as ts.FunctionLikeDeclaration).body !== undefined ? [target as Body] : [];
        for (const callee of [...direct, ...implementations]) if (canThrow(callee, checker, seen)) return true;
      }
    }
    return ts.forEachChild(node, (child) => (visit(child, caught) ? true : undefined)) ?? false;
  };
  return visit(fn.body, false);
}

/** Exported functions, components, hooks and classes that can throw when called but have no `@throws`. */
export function throwersWithoutThrowsTag(program: ts.Program, symbols: readonly PublicSymbol[]): string[] {
  const checker = program.getTypeChecker();
  const missing: string[] = [];
  for (const s of symbols) {
    const declarations = s.declarations.filter((d) => isPackageSource(d.getSourceFile()));
    const throwing = declarations.some((d) => callables(d).some((fn) => canThrow(fn, checker)));
    // An overloaded function documents @throws on its overloads; a class on the class or its constructor.
    const documented = declarations.some((d) => hasThrowsTag(d) || (ts.isClassDeclaration(d) && d.members.some((m) => ts.isConstructorDeclaration(m) && hasThrowsTag(m))));
    if (throwing && !documented) missing.push(`${s.entry}: ${s.name} (${where(declarations[0]!)})`);
  }
  return missing;
}

/**
 * Methods of exported interfaces whose implementation in this package can throw, without `@throws` on the interface
 * member (the only place a user reads them: the class behind `createExecutor()` is not exported).
 */
export function interfaceMethodsWithoutThrowsTag(program: ts.Program, symbols: readonly PublicSymbol[]): string[] {
  const checker = program.getTypeChecker();
  const exported = new Set(symbols.map((s) => s.symbol));
  const missing: string[] = [];
  for (const file of program.getSourceFiles().filter(isPackageSource)) {
    for (const statement of file.statements) {
      if (!ts.isClassDeclaration(statement)) continue;
      for (const clause of statement.heritageClauses ?? []) {
        if (clause.token !== ts.SyntaxKind.ImplementsKeyword) continue;
        for (const type of clause.types) {
          const raw = checker.getSymbolAtLocation(type.expression);
          const contract = raw !== undefined && raw.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(raw) : raw;
          if (contract === undefined || !exported.has(contract)) continue;
          for (const member of statement.members) {
            if (!ts.isMethodDeclaration(member) || member.body === undefined || !ts.isIdentifier(member.name)) continue;
            const declared = contract.members?.get(member.name.escapedText)?.declarations ?? [];
            if (declared.length === 0 || !canThrow(member as Body, checker)) continue;
            if (!declared.some(hasThrowsTag)) missing.push(`${contract.name}.${member.name.text} (${where(declared[0]!)})`);
          }
        }
      }
    }
  }
  return missing;
}

describe('the documentation check', () => {
  // A small package in memory: what the check must catch, and what it must let pass.
  const fixture = new Map<string, string>([
    [
      join(root, '.fixture/index.ts'),
      [
        "export { undocumented, validates, documentedValidator, rejectsOnly, throwsInACallback, Validated } from './lib.js';",
        "export type { Contract } from './lib.js';",
      ].join('\n'),
    ],
    [
      join(root, '.fixture/lib.ts'),
      `function check(value: unknown): void {
  if (typeof value !== 'number') throw new TypeError('value must be a number');
}
export function undocumented(): number { return 1; }
/** Checks its option through a helper, and says nothing of it. */
export function validates(options: { n?: number } = {}): number { check(options.n); return 1; }
/**
 * Checks its option and says so.
 * @throws {@link TypeError} when \`n\` is not a number.
 */
export function documentedValidator(options: { n?: number } = {}): number { check(options.n); return 1; }
/** Rejects, never throws at the call. */
export async function rejectsOnly(n: unknown): Promise<number> { check(n); return 1; }
/** Throws only later, in the callback it returns. */
export function throwsInACallback(): () => void { return () => check('later'); }
/** A class whose constructor validates. */
export class Validated { constructor(n: unknown) { check(n); } }
/** A contract whose implementation throws. */
export interface Contract { /** Runs. */ run(n: unknown): void; }
class Hidden implements Contract { run(n: unknown): void { check(n); } }
export const hidden: Contract = new Hidden();
`,
    ],
  ]);
  const program = createProgram([join(root, '.fixture/index.ts')], fixture);
  const symbols = publicSymbols(program, { fixture: '.fixture/index.ts' });

  it('reports an export without TSDoc', () => {
    expect(undocumentedExports(symbols)).toEqual(['fixture: undocumented (.fixture/lib.ts:4)']);
  });

  it('reports functions and constructors that throw through a helper without @throws, and nothing that only rejects or throws later', () => {
    expect(throwersWithoutThrowsTag(program, symbols)).toEqual(['fixture: validates (.fixture/lib.ts:6)', 'fixture: Validated (.fixture/lib.ts:17)']);
  });

  it('reports an interface method whose implementation throws without @throws', () => {
    expect(interfaceMethodsWithoutThrowsTag(program, symbols)).toEqual(['Contract.run (.fixture/lib.ts:19)']);
  });
});

describe('public symbols are documented', () => {
  const program = createProgram(Object.values(PUBLIC_ENTRIES).map((file) => join(root, file)));
  const symbols = publicSymbols(program, PUBLIC_ENTRIES);

  it('walks every public entry', () => {
    expect(new Set(symbols.map((s) => s.entry))).toEqual(new Set(Object.keys(PUBLIC_ENTRIES)));
    expect(symbols.length).toBeGreaterThan(100);
  });

  it('every exported name has a TSDoc summary', () => {
    expect(undocumentedExports(symbols)).toEqual([]);
  });

  it('every exported function, hook, component or class that can throw says what with @throws', () => {
    expect(throwersWithoutThrowsTag(program, symbols)).toEqual([]);
  });

  it('every method of an exported interface whose implementation can throw says what with @throws', () => {
    expect(interfaceMethodsWithoutThrowsTag(program, symbols)).toEqual([]);
  });
}, 60_000);
