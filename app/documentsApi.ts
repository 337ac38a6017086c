/** Browser-side client for the JSON API under /api/documents. */

export interface DocumentSummary {
  id: string
  title: string
  /** Editor page path, /d/<id>. */
  url: string
  createdAt: string
  updatedAt: string
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
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

const documentPath = (id: string) => `/api/documents/${encodeURIComponent(id)}`

export async function listDocuments(): Promise<DocumentSummary[]> {
  const { documents } = await request<{ documents: DocumentSummary[] }>('/api/documents')
  return documents
}

export function createDocument(title: string): Promise<DocumentSummary> {
  return request('/api/documents', { method: 'POST', body: JSON.stringify({ title }) })
}

export function getDocument(id: string): Promise<DocumentSummary> {
  return request(documentPath(id))
}

export function renameDocument(id: string, title: string): Promise<DocumentSummary> {
  return request(documentPath(id), { method: 'PATCH', body: JSON.stringify({ title }) })
}

export function deleteDocument(id: string): Promise<void> {
  return request(documentPath(id), { method: 'DELETE' })
}
