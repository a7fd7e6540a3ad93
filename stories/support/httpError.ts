/** An HTTP error the way fetch wrappers build them: a status, the response headers and, for JSON errors, the body. */
export interface HttpError extends Error {
  readonly status: number;
  readonly headers: Headers;
  readonly body?: unknown;
}

const reasons: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * Builds the error a story's fake server answers with, in the shape `classifyError` and `describeRowError` read.
 *
 * @example
 * httpError(429, { headers: { 'Retry-After': '5' } })
 */
export function httpError(status: number, details: { headers?: Record<string, string>; body?: unknown } = {}): HttpError {
  const message = `HTTP ${status} ${reasons[status] ?? 'Error'}`;
  const error = Object.assign(new Error(message), { status, headers: new Headers(details.headers) });
  return details.body === undefined ? error : Object.assign(error, { body: details.body });
}
