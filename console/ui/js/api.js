// Calls to the console's JSON API. An answer other than 2xx throws its message.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function answer(res) {
  let body;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (!res.ok) throw new ApiError(res.status, body?.error ?? `HTTP ${res.status}`);
  return body;
}

export async function getJson(path, params = {}) {
  const query = new URLSearchParams(
    Object.entries(params).filter(([, v]) => v !== undefined && v !== ''),
  ).toString();
  const res = await fetch(`/ui/api/${path}${query === '' ? '' : `?${query}`}`, {
    headers: { Accept: 'application/json' },
  });
  return answer(res);
}

/** An admin action: the token typed in the header goes with it. */
export async function postAction(path, body) {
  const token = sessionStorage.getItem('kafscale-admin-token') ?? '';
  const res = await fetch(`/ui/api/${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      ...(token === '' ? {} : { Authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body ?? {}),
  });
  return answer(res);
}

export function segment(name) {
  return encodeURIComponent(name);
}
