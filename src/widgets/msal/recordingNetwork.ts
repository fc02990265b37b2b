/**
 * MSAL.js's network module, replaced by `fetch` plus a record of each token-endpoint call: which
 * grant (`authorization_code`, `refresh_token`), which scopes, the status and which fields came back.
 * Values (codes, verifiers, tokens) are never recorded: the sign-in widget shows the names only.
 */
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-browser';

export interface TokenCallRecord {
  at: number;
  url: string;
  grantType: string;
  scope: string;
  /** Names of the request fields (e.g. `code_verifier`), so a reader sees PKCE at work. */
  sentFields: string[];
  status: number;
  /** Names of the response fields (`access_token`, `refresh_token`…), or the error. */
  receivedFields: string[];
  error?: string;
  errorDescription?: string;
}

type Listener = (record: TokenCallRecord) => void;
const listeners = new Set<Listener>();

export function onTokenCall(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

async function send<T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
  const response = await fetch(url, {
    method,
    headers: options?.headers ?? {},
    ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
  });
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = {};
  }
  if (method === 'POST') {
    const form = new URLSearchParams(options?.body ?? '');
    const grantType = form.get('grant_type');
    if (grantType) {
      const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
      const record: TokenCallRecord = {
        at: Date.now(),
        url,
        grantType,
        scope: form.get('scope') ?? '',
        sentFields: [...new Set(form.keys())],
        status: response.status,
        receivedFields: Object.keys(fields),
      };
      if (typeof fields.error === 'string') record.error = fields.error;
      if (typeof fields.error_description === 'string') record.errorDescription = fields.error_description;
      for (const listener of listeners) listener(record);
    }
  }
  return { headers: headerRecord(response.headers), body: body as T, status: response.status };
}

export const recordingNetworkClient: INetworkModule = {
  sendGetRequestAsync: (url, options) => send('GET', url, options),
  sendPostRequestAsync: (url, options) => send('POST', url, options),
};
