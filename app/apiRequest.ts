/** fetch for Inkwell's JSON API: errors become ApiError carrying the server's own message. */

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export async function apiRequest<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, {
      ...init,
      cache: 'no-store',
      headers: init.body ? { 'Content-Type': 'application/json', ...init.headers } : init.headers,
    })
  } catch {
    throw new ApiError('Could not reach the server. Check your connection and try again.', 0)
  }

  if (response.status === 204) return undefined as T

  const body: unknown = await response.json().catch(() => null)
  if (!response.ok) {
    const message =
      typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string'
        ? (body as { error: string }).error
        : `Request failed (${response.status} ${response.statusText})`
    throw new ApiError(message, response.status)
  }
  return body as T
}

/** A signed-out browser is sent to sign in and brought back here afterwards. */
export function signInPath(next: string): string {
  return `/sign-in?next=${encodeURIComponent(next)}`
}

export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))
