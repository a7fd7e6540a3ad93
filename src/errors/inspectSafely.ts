import { redactSecrets, summarizeError } from '../security/redactSecrets.js';

/**
 * The printed form of our errors under Node's `util.inspect` (and so `console.error(error)`): name, code, message,
 * the error's own fields, and its `cause` as a redacted summary. The `cause` itself stays on the error, unchanged, for
 * code that needs it; only printing is made safe, since a cause often holds request headers with API keys.
 */
export function inspectSafely(
  error: Error & { readonly code: string },
  depth: number,
  options: object,
  inspect: (value: unknown, options?: object) => string,
): string {
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(error)) {
    if (key !== 'cause' && key !== 'name' && key !== 'message' && key !== 'stack') fields[key] = (error as unknown as Record<string, unknown>)[key];
  }
  if (error.cause !== undefined) fields.cause = summarizeError(error.cause);
  const stack = redactSecrets(error.stack ?? `${error.name}: ${error.message}`);
  return depth < 0 ? `[${error.name}: ${error.message}]` : `${stack} ${inspect(fields, { ...options, depth: 2 })}`;
}
