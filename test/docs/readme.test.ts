import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { createProgram, PUBLIC_ENTRIES, root } from '../support/publicEntries.js';

/** The package's own specifiers, resolved to the sources, as a user's install would resolve them to dist/. */
const PATHS: Record<string, string[]> = Object.fromEntries(Object.entries(PUBLIC_ENTRIES).map(([specifier, file]) => [specifier, [file]]));

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
    // Checked as a Vite app compiles them (bundler resolution), which is how React Admin apps are built.
    const options: ts.CompilerOptions = {
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      baseUrl: root,
      paths: PATHS,
      noUnusedLocals: false,
    };
    const files = new Map<string, string>();
    blocks.forEach((block, index) => {
      // `export {}` makes each block a module of its own, as a file in a user's app would be.
      files.set(join(root, `.readme-examples/block${index}-line${block.line}.${block.lang}`), `${block.code}\nexport {};\n`);
    });
    const program = createProgram([...files.keys()], files, options);
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
