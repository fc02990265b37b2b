/**
 * MSAL Node's network module, replaced by a plain `fetch` that also records each exchange, so the
 * widget can show the exact token request MSAL sent: the same bytes, with the secret masked.
 * https://learn.microsoft.com/entra/msal/javascript/node/configuration (system.networkClient)
 */
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

export interface RecordedExchange {
  method: 'GET' | 'POST';
  url: string;
  /** The form body, parsed; present for POSTs. */
  form?: Record<string, string>;
  status: number;
  /** The JSON body of the response. */
  body: unknown;
  durationMs: number;
}

/** Where the exchanges go: an array, or anything with `push` (the on-behalf-of client files them per request). */
export interface ExchangeLog {
  push(exchange: RecordedExchange): unknown;
}

async function send<T>(
  method: 'GET' | 'POST',
  url: string,
  options: NetworkRequestOptions | undefined,
  log: ExchangeLog,
  extraHeaders: () => Record<string, string>,
) {
  const started = performance.now();
  const response = await fetch(url, {
    method,
    headers: { ...(options?.headers ?? {}), ...extraHeaders() },
    ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = { error: 'invalid_response', error_description: `The server answered ${response.status} with a body that is not JSON.` };
  }
  const exchange: RecordedExchange = { method, url, status: response.status, body, durationMs: performance.now() - started };
  if (method === 'POST') exchange.form = Object.fromEntries(new URLSearchParams(options?.body ?? ''));
  log.push(exchange);
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { headers, body: body as T, status: response.status } satisfies NetworkResponse<T>;
}

/** `extraHeaders`: added to every request (the sandbox's session header, which Entra never receives). */
export function recordingNetwork(log: ExchangeLog, extraHeaders: () => Record<string, string> = () => ({})): INetworkModule {
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options, log, extraHeaders),
    sendPostRequestAsync: (url, options) => send('POST', url, options, log, extraHeaders),
  };
}
