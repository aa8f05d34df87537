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

function errorFromBody(status: number, statusText: string, json: unknown): ApiError {
  const body = json as ApiErrorBody | undefined;
  return new ApiError(
    status,
    body?.error?.code ?? 'INTERNAL_ERROR',
    body?.error?.message ?? statusText,
    body?.error?.fields ?? [],
    body?.error?.details ?? {},
  );
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
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
    if (response.status === 401 && !path.startsWith('/auth/')) state.onUnauthenticated();
    throw errorFromBody(response.status, response.statusText, json);
  }
  return json as T;
}

/**
 * Sends a file as the raw request body, reporting the bytes sent (fetch cannot report upload
 * progress, XMLHttpRequest can). The server streams it to disk, so any size goes.
 */
export function uploadFile<T>(
  method: 'POST' | 'PUT',
  path: string,
  file: Blob,
  options: { query?: Record<string, QueryValue>; onProgress?: (sent: number) => void } = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, `/api/v1${path}${toQueryString(options.query)}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', state.language);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    const token = state.csrfToken ?? csrfFromCookie();
    if (token) xhr.setRequestHeader('X-CSRF-Token', token);
    xhr.upload.onprogress = (event) => options.onProgress?.(event.loaded);
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK_ERROR', 'upload failed'));
    xhr.onload = () => {
      const json = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) return resolve(json as T);
      if (xhr.status === 401) state.onUnauthenticated();
      reject(errorFromBody(xhr.status, xhr.statusText, json));
    };
    xhr.send(file);
  });
}

/** The file name of a download, from the server's Content-Disposition. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '');
  if (star) return decodeURIComponent(star[1]!);
  const plain = /filename="?([^";]+)"?/i.exec(disposition ?? '');
  return plain ? plain[1]! : fallback;
}

/**
 * Downloads a file from the API and hands it to the browser under the server's file name. An
 * error answer becomes an ApiError (in the UI language) instead of a saved error page.
 */
export async function downloadFile(
  path: string,
  query: Record<string, QueryValue>,
  fallbackName: string,
): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}${toQueryString(query)}`, {
      headers: { 'Accept-Language': state.language },
      credentials: 'same-origin',
    });
  } catch (cause) {
    throw new ApiError(0, 'NETWORK_ERROR', String(cause));
  }
  if (!response.ok) {
    if (response.status === 401) state.onUnauthenticated();
    throw errorFromBody(response.status, response.statusText, parseJson(await response.text()));
  }
  const blob = await response.blob();
  const name = fileNameOf(response.headers.get('content-disposition'), fallbackName);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // the browser has taken the file once the click is handled
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
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
