import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository root. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Each subpath of package.json "exports" and the source file its build is made from (tsup.config.ts). */
export const PUBLIC_ENTRIES: Readonly<Record<string, string>> = {
  'xstate-circuit-breaker': 'src/index.ts',
  'xstate-circuit-breaker/machines': 'machines/index.ts',
  'xstate-circuit-breaker/react': 'src/react/index.ts',
  'xstate-circuit-breaker/react-admin': 'src/react-admin/index.ts',
  'xstate-circuit-breaker/ra-core': 'src/ra-core/index.ts',
  'xstate-circuit-breaker/supabase': 'src/supabase/index.ts',
  'xstate-circuit-breaker/persist': 'src/sync/index.ts',
  'xstate-circuit-breaker/redis': 'src/redis/index.ts',
};

/** One name a public entry exports, resolved to the declarations it stands for. */
export interface PublicSymbol {
  readonly entry: string;
  readonly name: string;
  readonly symbol: ts.Symbol;
  readonly declarations: readonly ts.Declaration[];
}

/**
 * A program over `files`, some of which may be in memory, with the project's compiler options (tsconfig.json) and
 * `overrides`.
 */
export function createProgram(
  files: readonly string[],
  inMemory: ReadonlyMap<string, string> = new Map(),
  overrides: ts.CompilerOptions = {},
): ts.Program {
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const options = { ...ts.parseJsonConfigFileContent(config.config, ts.sys, root).options, ...overrides };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => inMemory.get(name) ?? readFile(name);
  host.fileExists = (name) => inMemory.has(name) || fileExists(name);
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (name) => [...inMemory.keys()].some((file) => file.startsWith(`${name}/`)) || (directoryExists?.(name) ?? true);
  host.getSourceFile = (name, version, onError, shouldCreate) => {
    const text = inMemory.get(name);
    return text === undefined ? getSourceFile(name, version, onError, shouldCreate) : ts.createSourceFile(name, text, version, true);
  };
  return ts.createProgram([...files], { ...options, noEmit: true }, host);
}

/** Every name the given entries export (`export *` included), each resolved through its re-exports. */
export function publicSymbols(program: ts.Program, entries: Readonly<Record<string, string>>): PublicSymbol[] {
  const checker = program.getTypeChecker();
  const found: PublicSymbol[] = [];
  for (const [entry, file] of Object.entries(entries)) {
    const source = program.getSourceFile(resolve(root, file));
    if (source === undefined) throw new Error(`${file} is not in the program.`);
    const module = checker.getSymbolAtLocation(source);
    if (module === undefined) throw new Error(`${file} is not a module.`);
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      found.push({ entry, name: exported.name, symbol, declarations: symbol.declarations ?? [] });
    }
  }
  return found;
}

/** True for a file of this package (not a dependency's, not a declaration file). */
export function isPackageSource(file: ts.SourceFile): boolean {
  return !file.isDeclarationFile && !file.fileName.includes('/node_modules/') && file.fileName.startsWith(root);
}
