import type { DataProvider } from 'ra-core';
import { createExecutor, type Executor } from '../createExecutor.js';
import { describeValue, rejectUnknownKeys } from '../options-shared.js';
import { rejectUnknownExecutorKeys, resolveOptions, type ExecutorOptions } from '../options.js';
import { createPacer, type Pacer } from '../pacing/createPacer.js';
import { createRetryBudget, type RetryBudget, type RetryBudgetOptions } from '../pacing/createRetryBudget.js';
import { createCircuitRegistry, type CircuitRegistry } from './createCircuitRegistry.js';
import { toHttpError } from './toHttpError.js';

/** Data provider methods that change data: wrapped by default. */
export const WRITE_METHODS: readonly string[] = Object.freeze(['create', 'update', 'updateMany', 'delete', 'deleteMany']);
/** Data provider methods that read: wrapped with `{ reads: true }`. */
export const READ_METHODS: readonly string[] = Object.freeze(['getList', 'getOne', 'getMany', 'getManyReference']);

/** Options of {@link withCircuitBreaker}. */
export interface WithCircuitBreakerOptions {
  /**
   * The executor every wrapped call goes through, or the options to create one with. Default: `createExecutor()`.
   * With `perResource`, only options are accepted (they are the template of each resource's executor).
   */
  executor?: Executor | ExecutorOptions;
  /**
   * One executor (one circuit) per resource, created on the resource's first call, so that a failing `contacts`
   * does not block `opportunities`. They share one pacer and one retry budget: the server's limit is per client, not
   * per resource. `{ options }` gives their executor options (merged over `executor` options). With `persist`, each
   * resource's circuit is stored and shared under the name `<persist.name>/<resource>`. Default false.
   */
  perResource?: boolean | { options?: ExecutorOptions };
  /**
   * Also wrap getList, getOne, getMany and getManyReference. Default false: react-admin refetches reads by itself
   * and a read blocked by an open circuit would blank a page that could still show cached data.
   */
  reads?: boolean;
  /** Custom methods to wrap as well (`['syncProducts']`). Other custom methods are kept unchanged. */
  methods?: readonly string[];
  /**
   * Whether a call is safe to repeat after an ambiguous failure (503, network error). Default: true for update,
   * updateMany, delete, deleteMany and the reads; false for create and custom methods. A 429 is retried anyway.
   */
  idempotent?: (method: string, resource: string, params: unknown) => boolean;
}

/** A data provider wrapped by {@link withCircuitBreaker}: the same methods, plus its circuits. */
export type CircuitBreakerDataProvider<T extends DataProvider = DataProvider> = T & {
  /** The circuits guarding the calls, for a badge per resource and for tests. */
  readonly circuits: CircuitRegistry;
};

const KNOWN = new Set(['executor', 'perResource', 'reads', 'methods', 'idempotent']);
const PER_RESOURCE_KEYS: readonly string[] = ['options'];
const OWNER = 'withCircuitBreaker() ';

function isExecutor(value: unknown): value is Executor {
  const e = value as Partial<Executor> | null;
  return typeof e === 'object' && e !== null && typeof e.execute === 'function' && typeof e.getCircuitState === 'function';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function defaultIdempotent(method: string): boolean {
  return method !== 'create' && (WRITE_METHODS.includes(method) || READ_METHODS.includes(method));
}

function fail(name: string, expected: string, value: unknown): never {
  throw new TypeError(`xstate-circuit-breaker: withCircuitBreaker() option "${name}" must be ${expected}, got ${describeValue(value)}.`);
}

function checkOptions(options: unknown): WithCircuitBreakerOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) fail('options', 'an executor or an options object', options);
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) {
      throw new TypeError(
        `xstate-circuit-breaker: withCircuitBreaker() got unknown option "${key}". Known options: ${[...KNOWN].join(', ')}; ` +
          'executor options go under "executor" (or "perResource.options").',
      );
    }
  }
  const o = options as WithCircuitBreakerOptions;
  if (o.executor !== undefined && (typeof o.executor !== 'object' || o.executor === null)) fail('executor', 'an executor or executor options', o.executor);
  const per = o.perResource;
  if (per !== undefined && typeof per !== 'boolean' && (typeof per !== 'object' || per === null)) fail('perResource', 'a boolean or { options }', per);
  if (typeof per === 'object') {
    rejectUnknownKeys(per, PER_RESOURCE_KEYS, 'perResource', OWNER);
    if (per.options !== undefined && (typeof per.options !== 'object' || per.options === null)) fail('perResource.options', 'an object', per.options);
    if (per.options !== undefined) rejectUnknownExecutorKeys(per.options, 'perResource.options', OWNER);
  }
  if (o.executor !== undefined && !isExecutor(o.executor)) rejectUnknownExecutorKeys(o.executor, 'executor', OWNER);
  if (o.reads !== undefined && typeof o.reads !== 'boolean') fail('reads', 'a boolean', o.reads);
  if (o.methods !== undefined && (!Array.isArray(o.methods) || !o.methods.every((m) => typeof m === 'string'))) {
    fail('methods', 'an array of method names', o.methods);
  }
  if (o.idempotent !== undefined && typeof o.idempotent !== 'function') fail('idempotent', 'a function', o.idempotent);
  if (per && isExecutor(o.executor)) {
    throw new TypeError(
      'xstate-circuit-breaker: withCircuitBreaker() option "perResource" creates one executor per resource, so "executor" ' +
        'must be executor options, not an executor.',
    );
  }
  return o;
}

function sharedPacer(template: ExecutorOptions): Pacer | false {
  if (template.pacer !== undefined) return template.pacer;
  return createPacer(template.clock === undefined ? {} : { clock: template.clock });
}

/** Each resource's circuit is kept (and shared between tabs) under a name of its own: `<persist.name>/<resource>`. */
function persistFor(template: ExecutorOptions, resource: string): Pick<ExecutorOptions, 'persist'> {
  const { persist } = template;
  return persist ? { persist: persist.named(`${persist.settings.name}/${resource}`) } : {};
}

function sharedRetryBudget(template: ExecutorOptions): RetryBudget | false {
  const budget = template.retryBudget;
  if (budget === false) return false;
  if (budget === undefined) return createRetryBudget();
  if ('trySpend' in budget && typeof budget.trySpend === 'function') return budget;
  return createRetryBudget(budget as RetryBudgetOptions);
}

/** Every property of the data provider, its prototype chain included (a class instance keeps its methods). */
function copyProvider(dataProvider: DataProvider): Record<PropertyKey, unknown> {
  const copy: Record<PropertyKey, unknown> = {};
  for (let o: object | null = dataProvider; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const key of Reflect.ownKeys(o)) {
      if (key === 'constructor' || Object.prototype.hasOwnProperty.call(copy, key)) continue;
      const value: unknown = (dataProvider as Record<PropertyKey, unknown>)[key];
      copy[key] = typeof value === 'function' ? value.bind(dataProvider) : value;
    }
  }
  return copy;
}

/**
 * Wraps a ra-core data provider so that its writes (create, update, updateMany, delete, deleteMany), and with
 * `{ reads: true }` its reads, go through an executor: retried on 429 with `Retry-After` honoured, paced, and refused
 * at once while the circuit is open. Everything else on the data provider (custom methods such as `syncProducts`,
 * `supportAbortSignal`, ra-supabase-core's `getSchema`) is kept; custom methods named in `methods` are wrapped too.
 *
 * Errors reach React Admin as ra-core `HttpError`s whose message is fit for `useNotify` (see `toHttpError`): an open
 * circuit gives `HttpError("Too many requests. Wait 1-2 minutes before trying again.", 503)`, exhausted retries
 * `HttpError("System overloaded. Try again in a few moments.", 429)` with the server's body; when the failures were
 * not rate limits (5xx, network, timeouts) the line says "The server is not answering. …" instead. Other errors
 * (a 400, a 404, a validation error) pass through untouched.
 *
 * The `signal` a call receives (react-admin passes one to reads when `supportAbortSignal` is true) is given to
 * `execute`, so aborting it stops the retries at once. The data provider itself is called with the attempt's signal
 * in `params.signal` (when the call had a signal, or the data provider declares `supportAbortSignal`): it follows the
 * caller's, and is also aborted by an attempt timeout (`attemptTimeoutMs`) or by `executor.stop()`. A data provider
 * that ignores `params.signal` (ra-data-postgrest does) lets its request run to its end after an abort; the call
 * still rejects at once with the abort reason.
 *
 * For the retry to see `Retry-After`, the data provider's HTTP client must keep response headers on its errors:
 * use `createHttpClient()` as its `httpClient` (ra-core's `fetchUtils.fetchJson` drops them).
 *
 * Switch off TanStack Query's own retries, or they multiply the executor's:
 * `<Admin queryClient={new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } })}>`.
 *
 * @throws {@link TypeError} when `dataProvider` is not an object, an option has the wrong type or an unknown name
 * (nested executor options included, by their full path), or `methods` names a method the data provider does not
 * have.
 * @throws {@link RangeError} when an executor option is out of range.
 * @example
 * import { QueryClient } from '@tanstack/react-query'
 * import { Admin } from 'react-admin'
 * import { supabaseDataProvider } from 'ra-supabase-core'
 * import { createHttpClient, withCircuitBreaker } from 'xstate-circuit-breaker/ra-core'
 *
 * const dataProvider = withCircuitBreaker(
 *   supabaseDataProvider({ instanceUrl, apiKey, supabaseClient, httpClient: createHttpClient({ headers: { apikey: apiKey } }) }),
 *   { perResource: { options: { maxRetries: 3, openDurationMs: 30_000 } }, methods: ['syncProducts'] },
 * )
 * dataProvider.circuits.subscribe(() => render(dataProvider.circuits.get('contacts').state))
 * const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } })
 * // <Admin dataProvider={dataProvider} queryClient={queryClient}>…</Admin>
 */
export function withCircuitBreaker<T extends DataProvider>(
  dataProvider: T,
  executorOrOptions?: Executor | WithCircuitBreakerOptions,
): CircuitBreakerDataProvider<T> {
  if (typeof dataProvider !== 'object' || dataProvider === null) {
    throw new TypeError(`xstate-circuit-breaker: withCircuitBreaker() needs a data provider, got ${describeValue(dataProvider)}.`);
  }
  const options = isExecutor(executorOrOptions) ? { executor: executorOrOptions } : checkOptions(executorOrOptions);
  const given = options.executor;

  let circuits: CircuitRegistry;
  if (options.perResource) {
    const template: ExecutorOptions = {
      ...(given as ExecutorOptions | undefined),
      ...(typeof options.perResource === 'object' ? options.perResource.options : undefined),
    };
    resolveOptions(template); // bad options throw now, not at the first call
    const shared = { pacer: sharedPacer(template), retryBudget: sharedRetryBudget(template) };
    circuits = createCircuitRegistry({
      create: (resource) => createExecutor({ ...template, ...shared, ...persistFor(template, resource) }),
      owned: true,
    });
  } else if (isExecutor(given)) {
    circuits = createCircuitRegistry({ create: () => given, shared: given, owned: false });
  } else {
    const executor = createExecutor(given);
    circuits = createCircuitRegistry({ create: () => executor, shared: executor, owned: true });
  }

  const wrapped = copyProvider(dataProvider);
  const idempotentOf = options.idempotent ?? defaultIdempotent;
  const passesSignal = dataProvider.supportAbortSignal === true;

  const wrap = (method: string, standard: boolean): void => {
    const original = (dataProvider as Record<string, unknown>)[method];
    if (typeof original !== 'function') {
      if (standard) return; // a data provider without, say, updateMany: nothing to wrap
      throw new TypeError(`xstate-circuit-breaker: withCircuitBreaker() option "methods" lists "${method}", which the data provider does not have.`);
    }
    wrapped[method] = (...args: unknown[]): Promise<unknown> => {
      // Standard methods are (resource, params); a custom method's circuit is named after the method.
      const resource = standard && typeof args[0] === 'string' ? args[0] : method;
      const params = args[1];
      const callerSignal = isPlainObject(params) && params.signal instanceof AbortSignal ? params.signal : undefined;
      const injects = isPlainObject(params) && (callerSignal !== undefined || (standard && passesSignal));
      const executor = circuits.getExecutor(resource);
      return executor
        .execute(
          ({ signal }) => {
            const callArgs = injects ? [args[0], { ...(params as object), signal }, ...args.slice(2)] : args;
            return (original as (...a: unknown[]) => unknown).apply(dataProvider, callArgs);
          },
          { signal: callerSignal, idempotent: idempotentOf(method, resource, params), context: `${resource}.${method}` },
        )
        .catch((error: unknown) => {
          throw toHttpError(error);
        });
    };
  };

  for (const method of WRITE_METHODS) wrap(method, true);
  if (options.reads) for (const method of READ_METHODS) wrap(method, true);
  for (const method of options.methods ?? []) wrap(method, WRITE_METHODS.includes(method) || READ_METHODS.includes(method));
  wrapped.circuits = circuits;
  return wrapped as CircuitBreakerDataProvider<T>;
}
