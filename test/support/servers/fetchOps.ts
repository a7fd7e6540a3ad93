import type { AttemptContext } from '../../../src/index.js';

/**
 * The operation a user writes around `fetch`: the body of a failed response is read (so the connection is freed) and
 * the `Response` itself is thrown, which the executor understands as it is (status, Retry-After).
 */
export async function getJson(url: string, { signal }: Pick<AttemptContext, 'signal'>): Promise<unknown> {
  const response = await fetch(url, { signal });
  if (!response.ok) {
    await response.arrayBuffer().catch(() => undefined);
    throw response;
  }
  return response.json();
}

/** What {@link postRow} resolves with: `duplicate` when the server already had the id (409, taken as success). */
export interface PostedRow {
  readonly id: string;
  readonly duplicate: boolean;
}

/**
 * The documented "idempotent create" task: the id is the client's, and a 409 for it means an earlier attempt was
 * stored already (its answer was lost), so it counts as success.
 */
export async function postRow(baseUrl: string, id: string, { signal }: Pick<AttemptContext, 'signal'>): Promise<PostedRow> {
  const response = await fetch(`${baseUrl}/rows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id }),
    signal,
  });
  if (response.status === 409) {
    await response.arrayBuffer().catch(() => undefined);
    return { id, duplicate: true };
  }
  if (!response.ok) {
    await response.arrayBuffer().catch(() => undefined);
    throw response;
  }
  await response.json();
  return { id, duplicate: false };
}
