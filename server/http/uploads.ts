/**
 * The two routes that take a file rather than JSON: creating a document from one
 * (`POST /api/documents`, multipart or the file's own type) and replacing a document's content
 * (`PUT /api/documents/:id/content`). They get the import limit instead of the JSON one, and these
 * media types pass the JSON-only rule (csrf.ts). The origin rule still applies to them in full, which
 * is what keeps another site's form from posting a file with someone's cookie.
 */
const UPLOAD_MEDIA_TYPES = new Set([
  "application/json",
  "multipart/form-data",
  "text/markdown",
  "text/x-markdown",
  "text/html",
  "text/plain",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
]);

/** Room for multipart's boundaries and part headers around the file itself. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

const CONTENT_PATH = /^\/api\/documents\/[^/]+\/content\/?$/;

export function isUploadRoute(method: string | undefined, url: string | undefined): boolean {
  const path = (url ?? "/").split("?")[0];
  return (method === "POST" && (path === "/api/documents" || path === "/api/documents/")) || (method === "PUT" && CONTENT_PATH.test(path));
}

export function isUploadMediaType(contentType: string | undefined): boolean {
  return UPLOAD_MEDIA_TYPES.has(contentType?.split(";")[0].trim().toLowerCase() ?? "");
}
