// The JSON API of web-contract.md: session first, then every state-changing call carries its CSRF token.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

let csrf = null;
let leaving = false;

/** Leaves for the login page once, whoever notices first that the session is gone. */
export function goToLogin() {
  if (!leaving) {
    leaving = true;
    location.assign('/login');
  }
}

async function send(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['X-CSRF-Token'] = csrf ?? '';
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin', cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    goToLogin();
    throw new ApiError(401, 'not logged in');
  }
  if (response.status === 204) {
    return null;
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(response.status, data?.error ?? `${response.status} ${response.statusText}`);
  }
  return data;
}

async function change(method, path, body) {
  try {
    return await send(method, path, body);
  } catch (e) {
    if (e.status !== 403) {
      throw e;
    }
    await session(); // the token may have been renewed (e.g. a login in another tab): fetch it and try once more
    return send(method, path, body);
  }
}

/** {username, csrf}; redirects to the login page when there is no session. */
export async function session() {
  const s = await send('GET', '/api/session');
  csrf = s.csrf;
  return s;
}

/** Whether the session still exists, without leaving the page. */
export async function sessionAlive() {
  try {
    const response = await fetch('/api/session', { credentials: 'same-origin', cache: 'no-store' });
    return response.status !== 401;
  } catch {
    return true; // the server is unreachable: that says nothing about the session
  }
}

export const getJson = (path) => send('GET', path);
export const postJson = (path, body) => change('POST', path, body);
export const putJson = (path, body) => change('PUT', path, body);
export const remove = (path) => change('DELETE', path);

export function candles(symbol, interval, { startTime, endTime, limit } = {}) {
  const q = new URLSearchParams({ symbol, interval });
  if (startTime !== undefined) q.set('startTime', String(startTime));
  if (endTime !== undefined) q.set('endTime', String(endTime));
  if (limit !== undefined) q.set('limit', String(limit));
  return getJson(`/api/candles?${q}`);
}

export async function logout() {
  await change('POST', '/api/logout');
}

/** {state, reasons} from /ready, whose 503 is an answer, not a failure. */
export async function readiness() {
  const response = await fetch('/ready', { cache: 'no-store' });
  const body = await response.json().catch(() => ({}));
  return { ready: response.ok, reasons: body.reasons ?? [] };
}
