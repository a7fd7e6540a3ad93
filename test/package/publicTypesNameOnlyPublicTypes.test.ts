import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { createProgram, isPackageSource, PUBLIC_ENTRIES, publicSymbols, root, type PublicSymbol } from '../support/publicEntries.js';

/**
 * What a user can import is what the package promises. Each entry exports exactly the names listed here (a change to
 * the surface shows in this file's diff), none of the package's own helpers, and no public declaration names a type
 * of the package that no entry exports: a user can name every type they are handed.
 */

const SURFACE: Readonly<Record<string, readonly string[]>> = {
  'xstate-circuit-breaker': [
    'ATTEMPT_TIMEOUT_CODE', 'AttemptContext', 'AttemptTimeoutError', 'BulkFailureReason', 'BulkOptions', 'BulkProgress',
    'BulkReport', 'BulkRowErrors', 'BulkRowResult', 'BulkTask', 'BulkTaskContext', 'CIRCUIT_OPEN_CODE', 'CircuitOpenError',
    'CircuitLink', 'CircuitPersistence', 'CircuitPolicy', 'CircuitState', 'CircuitStateName', 'CircuitStorage', 'CircuitView', 'ClassifyErrorOptions', 'Clock',
    'ErrorClassification', 'ErrorDecisionInfo', 'ExecuteOptions', 'Executor', 'ExecutorMachines', 'ExecutorOptions',
    'ExecutorSettings', 'ExecutorStats', 'FailureRateWindow', 'FailureReason', 'IsolationHandle', 'JitterStrategy', 'LegacyCircuitState',
    'LogEntry', 'LogLevel', 'Logger', 'MESSAGES', 'Operation', 'Pacer', 'PacerOptions', 'PacerSharing', 'PacerSharingStats',
    'AnnouncedLimits', 'PacerLink', 'PacerSharingLink', 'PacerSlot', 'PacerState', 'PacingSource', 'PersistSettings', 'Probe', 'ProbeOptions',
    'RETRIES_EXHAUSTED_CODE', 'RateLimitConfig', 'RateLimitContext', 'RateLimitInfo', 'RateLimitService', 'RetriesExhaustedError',
    'RetryBudget', 'RetryBudgetOptions', 'RetryInfo', 'RetryPolicy', 'RowError', 'SyncChannel', 'SyncLockManager', 'SyncStats',
    'classifyError', 'createExecutor', 'createPacer', 'createProbe', 'createRetryBudget',
    'describeRowError', 'getRetryAfterMs', 'getStatus', 'isAttemptTimeoutError', 'isCircuitOpenError', 'isNetworkError',
    'isRateLimitError', 'isRetriesExhaustedError', 'parseRateLimitHeaders', 'parseRetryAfter', 'rateLimitService',
    'redactSecrets', 'runBulk',
  ],
  'xstate-circuit-breaker/machines': [
    'CircuitBreakerMachine', 'CircuitContext', 'CircuitEmitted', 'CircuitEvent', 'CircuitInput', 'CircuitPolicy',
    'FailureRateWindow', 'JitterStrategy', 'OpenCause', 'Outcome', 'RetryContext', 'RetryEvent', 'RetryInput', 'RetryMachine', 'RetryPolicy',
    'circuitBreakerMachine', 'computeBackoff', 'computeOpenDuration', 'defaultCircuitPolicy', 'defaultRetryPolicy', 'retryMachine',
  ],
  'xstate-circuit-breaker/react': [
    'CircuitProvider', 'CircuitProviderProps', 'CircuitState', 'CircuitStateName', 'CircuitStatus', 'CircuitStatusBadge',
    'CircuitStatusBadgeProps', 'CircuitStatusOptions', 'Executor', 'NowSource', 'defaultCircuitStateLabels', 'formatNextTrial',
    'useCircuitState', 'useCircuitStatus', 'useCountdown', 'useExecutor', 'useExecutors',
  ],
  'xstate-circuit-breaker/react-admin': ['CircuitStatusChip', 'CircuitStatusChipProps', 'useRefreshOnCircuitClose'],
  'xstate-circuit-breaker/ra-core': [
    'CircuitBreakerDataProvider', 'CircuitEntry', 'CircuitHttpError', 'CircuitRegistry', 'CircuitState', 'Executor',
    'ExecutorOptions', 'HttpClient', 'HttpClientError', 'HttpClientOptions', 'HttpClientRequestOptions', 'HttpClientResponse',
    'READ_METHODS', 'WRITE_METHODS', 'WithCircuitBreakerOptions', 'createHttpClient', 'toHttpError', 'withCircuitBreaker',
  ],
  'xstate-circuit-breaker/supabase': [
    'DEFAULT_IDEMPOTENT_METHODS', 'FETCH_RESPONSE_CODE', 'FetchRequestInfo', 'FetchResponseError', 'PostgrestErrorLike',
    'ResilientFetchOptions', 'createResilientFetch', 'isCircuitOpenResult', 'isFetchResponseError', 'isIdempotentRequest',
  ],
  'xstate-circuit-breaker/persist': [
    'AnnouncedLimits', 'CircuitLink', 'CircuitPersistence', 'CircuitStorage', 'PacerLink', 'PacerSharing', 'PacerSharingLink', 'PacerSharingStats',
    'PersistOptions', 'PersistSettings', 'SyncChannel', 'SyncLockManager', 'SyncStats', 'createMemoryStorage', 'persistCircuit',
    'sharePacerAcrossTabs',
  ],
  'xstate-circuit-breaker/redis': [
    'CircuitPersistence', 'FleetCommands', 'FleetLinkState', 'FleetPacerOptions', 'FleetPersistOptions', 'FleetRedisClient', 'FleetStats',
    'FleetSubscriber', 'LinkToRedisOptions', 'RedisFleet', 'RedisPacer', 'RedisPacerClient', 'RedisPacerOptions', 'RedisPacerStats',
    'REDIS_PACER_TIMEOUT_CODE', 'RedisPacerTimeoutError',
    'createRedisPacer', 'isRedisPacerTimeoutError', 'linkToRedis',
  ],
};

/** Helpers only the package itself uses: each is reachable from its own module, never from a public entry. */
const INTERNAL = [
  'resolveOptions', 'ResolvedOptions', 'findHeaders', 'readHeader', 'summarizeError', 'ErrorSummary', 'SYNC_VERSION',
  'CircuitRecord', 'UNUSED_CIRCUIT_STATE', 'createSystemClock', 'unavailableMessage', 'rejectUnknownExecutorKeys',
  'EXECUTOR_OPTION_KEYS', 'describeValue', 'createCircuitView', 'createCircuitRegistry', 'DEFAULT_MAX_WAIT_MS',
];

function isPrivateMember(node: ts.Node): boolean {
  const name = (node as { name?: ts.Node }).name;
  if (name !== undefined && ts.isPrivateIdentifier(name)) return true;
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
}

/** The package's own types and values a declaration's public shape names (its signature, not its body). */
function namedInShape(declaration: ts.Declaration, checker: ts.TypeChecker): Map<ts.Symbol, ts.Node> {
  const named = new Map<ts.Symbol, ts.Node>();
  const visit = (node: ts.Node): void => {
    if (ts.isBlock(node) || isPrivateMember(node)) return; // bodies and private members are not what users see
    if (ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node) || ts.isParameter(node)) {
      if (node.type !== undefined) visit(node.type);
      if (ts.isParameter(node) || ts.isPropertyDeclaration(node)) return;
      return;
    }
    const reference = ts.isTypeReferenceNode(node)
      ? node.typeName
      : ts.isExpressionWithTypeArguments(node)
        ? node.expression
        : ts.isTypeQueryNode(node)
          ? node.exprName
          : undefined;
    if (reference !== undefined) {
      const raw = checker.getSymbolAtLocation(ts.isQualifiedName(reference) ? reference.left : reference);
      const symbol = raw !== undefined && raw.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(raw) : raw;
      const declared = symbol?.declarations?.[0];
      if (symbol !== undefined && declared !== undefined && !(symbol.flags & ts.SymbolFlags.TypeParameter) && isPackageSource(declared.getSourceFile())) {
        named.set(symbol, node);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(declaration);
  return named;
}

/** Public declarations that name a type (or value, through `typeof`) of the package no entry exports. */
export function unexportedTypesNamed(program: ts.Program, symbols: readonly PublicSymbol[]): string[] {
  const checker = program.getTypeChecker();
  const exported = new Set(symbols.map((s) => s.symbol));
  const found = new Set<string>();
  for (const s of symbols) {
    for (const declaration of s.declarations.filter((d) => isPackageSource(d.getSourceFile()))) {
      for (const [symbol, node] of namedInShape(declaration, checker)) {
        if (exported.has(symbol)) continue;
        const { line } = node.getSourceFile().getLineAndCharacterOfPosition(node.getStart());
        found.add(`${s.name} names ${symbol.name} (${node.getSourceFile().fileName.slice(root.length + 1)}:${line + 1})`);
      }
    }
  }
  return [...found].sort();
}

describe('the public entries', () => {
  const program = createProgram(Object.values(PUBLIC_ENTRIES).map((file) => join(root, file)));
  const symbols = publicSymbols(program, PUBLIC_ENTRIES);

  it('export exactly the listed names', () => {
    const actual: Record<string, string[]> = {};
    for (const s of symbols) (actual[s.entry] ??= []).push(s.name);
    for (const names of Object.values(actual)) names.sort();
    const expected = Object.fromEntries(Object.entries(SURFACE).map(([entry, names]) => [entry, [...names].sort()]));
    expect(actual).toEqual(expected);
  });

  it("export none of the package's own helpers", () => {
    expect(symbols.filter((s) => INTERNAL.includes(s.name)).map((s) => `${s.entry}: ${s.name}`)).toEqual([]);
  });

  it('name no type a user could not import', () => {
    expect(unexportedTypesNamed(program, symbols)).toEqual([]);
  });

  it('the check finds a public type that names an unexported one', () => {
    const fixture = new Map([
      [join(root, '.fixture/index.ts'), "export { open } from './lib.js';\nexport type { Shown } from './lib.js';"],
      [
        join(root, '.fixture/lib.ts'),
        'interface Hidden { n: number }\nexport interface Shown { readonly hidden: Hidden }\nexport function open(shown: Shown): Hidden { return shown.hidden; }\n',
      ],
    ]);
    const small = createProgram([join(root, '.fixture/index.ts')], fixture);
    expect(unexportedTypesNamed(small, publicSymbols(small, { fixture: '.fixture/index.ts' }))).toEqual([
      'Shown names Hidden (.fixture/lib.ts:2)',
      'open names Hidden (.fixture/lib.ts:3)',
    ]);
  });
}, 60_000);
