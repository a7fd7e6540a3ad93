import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The package's own specifiers, resolved to the sources, as a user's install would resolve them to dist/. */
const PATHS: Record<string, string[]> = {
  'xstate-circuit-breaker': ['src/index.ts'],
  'xstate-circuit-breaker/machines': ['machines/index.ts'],
  'xstate-circuit-breaker/react': ['src/react/index.ts'],
  'xstate-circuit-breaker/react-admin': ['src/react-admin/index.ts'],
  'xstate-circuit-breaker/ra-core': ['src/ra-core/index.ts'],
  'xstate-circuit-breaker/supabase': ['src/supabase/index.ts'],
  'xstate-circuit-breaker/persist': ['src/sync/index.ts'],
};

interface Block {
  readonly line: number;
  readonly lang: 'ts' | 'tsx';
  readonly code: string;
}

function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|tsx|typescript)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !lines[end]!.startsWith('```')) end++;
    blocks.push({ line: start, lang: open[1] === 'tsx' ? 'tsx' : 'ts', code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

describe('README examples', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = codeBlocks(readme);

  it('has TypeScript examples to check', () => {
    expect(blocks.length).toBeGreaterThan(3);
  });

  it('every TypeScript block compiles against the package sources', () => {
    const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
    // Checked as a Vite app compiles them (bundler resolution), which is how React Admin apps are built.
    const options: ts.CompilerOptions = {
      ...parsed.options,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      noEmit: true,
      baseUrl: root,
      paths: PATHS,
      noUnusedLocals: false,
    };
    const files = new Map<string, string>();
    blocks.forEach((block, index) => {
      // `export {}` makes each block a module of its own, as a file in a user's app would be.
      files.set(join(root, `.readme-examples/block${index}-line${block.line}.${block.lang}`), `${block.code}\nexport {};\n`);
    });
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    const getSourceFile = host.getSourceFile.bind(host);
    host.readFile = (name) => files.get(name) ?? readFile(name);
    host.fileExists = (name) => files.has(name) || fileExists(name);
    host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
      const text = files.get(name);
      return text === undefined
        ? getSourceFile(name, languageVersion, onError, shouldCreate)
        : ts.createSourceFile(name, text, languageVersion, true);
    };
    const program = ts.createProgram([...files.keys()], options, host);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file !== undefined && files.has(d.file.fileName))
      .map((d) => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        const blockLine = Number(/line(\d+)/.exec(d.file!.fileName)![1]);
        return `README.md:${blockLine + line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(problems).toEqual([]);
  }, 60_000);
});
