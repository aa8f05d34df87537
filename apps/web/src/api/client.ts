/**
 * The typed HTTP client: sends the session cookie, the CSRF token on writes and the UI language
 * (so error messages come back translated), and turns error bodies into `ApiError`.
 */
import type { ApiErrorBody, ErrorCode, FieldError } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK_ERROR',
    message: string,
    readonly fields: FieldError[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ClientState {
  csrfToken: string | null;
  language: string;
  onUnauthenticated: () => void;
}

const state: ClientState = {
  csrfToken: null,
  language: 'zh-CN',
  onUnauthenticated: () => undefined,
};

export function configureApi(patch: Partial<ClientState>): void {
  Object.assign(state, patch);
}

function csrfFromCookie(): string | null {
  const match = /(?:^|;\s*)funnel_csrf=([^;]+)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : null;
}

/** The CSRF cookie lives as long as the session cookie (which scripts cannot read). */
export function hasSessionCookie(): boolean {
  return csrfFromCookie() !== null;
}

export type QueryValue = string | number | boolean | null | undefined | readonly string[];

/** Builds a query string, dropping empty values and joining lists with commas. */
export function toQueryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(','));
    } else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  options: { body?: unknown; query?: Record<string, QueryValue>; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': state.language,
  };
  if (method !== 'GET') {
    const token = state.csrfToken ?? csrfFromCookie();
    if (token) headers['X-CSRF-Token'] = token;
  }
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}${toQueryString(options.query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'NETWORK_ERROR', String(cause));
  }
  const text = await response.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const body = json as ApiErrorBody | undefined;
    const error = new ApiError(
      response.status,
      body?.error.code ?? 'INTERNAL_ERROR',
      body?.error.message ?? response.statusText,
      body?.error.fields ?? [],
      body?.error.details ?? {},
    );
    if (response.status === 401 && !path.startsWith('/auth/')) state.onUnauthenticated();
    throw error;
  }
  return json as T;
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal) =>
    request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** Field errors keyed by path (`contacts.0.contactId`), for showing next to the field. */
export function fieldErrorMap(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const map: Record<string, string> = {};
  for (const field of error.fields) map[field.path] ??= field.message;
  return map;
}

/** An antd form name path from an API path: `contacts.0.contactId` -> ['contacts', 0, 'contactId']. */
export function namePathOf(path: string): (string | number)[] {
  return path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
