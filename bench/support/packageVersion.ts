import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The version of an installed package (or of this package, for `'.'`), read from its package.json; `'?'` if unreadable. */
export function packageVersion(name: string): string {
  const path = name === '.' ? `${root}package.json` : `${root}node_modules/${name}/package.json`;
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : '?';
  } catch {
    return '?';
  }
}
