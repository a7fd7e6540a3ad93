// Type tests (checked by `tsc --noEmit`): the examples of the supabase entry compile against the real supabase-js.
import { createClient } from '@supabase/supabase-js';
import { expectTypeOf } from 'vitest';
import { createExecutor } from '../../src/index.js';
import { createResilientFetch, isFetchResponseError, type FetchRequestInfo } from '../../src/supabase/index.js';

const executor = createExecutor({ maxRetries: 3 });
const resilientFetch = createResilientFetch(executor);
expectTypeOf(resilientFetch).toEqualTypeOf<typeof fetch>();
expectTypeOf(createResilientFetch(executor, fetch, { idempotentMethods: ['GET'] })).toEqualTypeOf<typeof fetch>();
expectTypeOf(createResilientFetch).parameter(2).exclude<undefined>().toHaveProperty('idempotent').toEqualTypeOf<((request: FetchRequestInfo) => boolean) | undefined>();

// The @example of createResilientFetch.
const supabase = createClient('http://127.0.0.1:54321', 'anon', { global: { fetch: createResilientFetch(executor) } });
export async function insertExample(email: string): Promise<number> {
  const { status } = await supabase.from('contacts').insert({ email }).select();
  return status;
}

// The @example of FetchResponseError.
createExecutor({
  shouldRetry: (error, { classification }) =>
    classification.retryable || (isFetchResponseError(error) && error.url.endsWith('/rpc/get_or_create_segment')),
});
