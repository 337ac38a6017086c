import type { ExportFormat } from "../../../../../server/formats/index";
import { historyFailure, momentParam } from "../../../history";
import { errorResponse, notFound, onDocument } from "../../../request";

export const dynamic = "force-dynamic";

const FORMATS: readonly ExportFormat[] = ["markdown", "html", "text", "json", "docx"];

/**
 * The content in a format (`?format=markdown|html|text|json|docx`, JSON by default), now or at a
 * moment (`&version=ID` or `&at=ISO-8601`); `&download=1` makes it a file named after the title.
 */
export const GET = onDocument("GET /api/documents/:id/content", "read", async ({ s, params, request, user }) => {
  const query = new URL(request.url).searchParams;
  const format = (query.get("format") ?? "json") as ExportFormat;
  if (!FORMATS.includes(format)) return errorResponse(400, `format must be one of ${FORMATS.join(", ")}`);
  if (query.has("version") && query.has("at")) return errorResponse(400, "give version or at, not both");
  const moment = momentParam(query, query.has("version") ? "version" : "at");
  if ("response" in moment) return moment.response;
  if (moment.ref && ("version" in moment.ref) !== query.has("version")) {
    return errorResponse(400, query.has("version") ? "version must be a version id from GET /versions" : "at must be an ISO 8601 date and time such as 2026-12-01T09:30:00Z");
  }
  const document = await s.store.get(params.id);
  if (!document) return notFound();
  let content;
  try {
    content = await s.history.contentAt(params.id, moment.ref);
  } catch (error) {
    return historyFailure(error, { logger: s.logger, context: { route: `${request.method} /api/documents/:id/content`, documentId: params.id, userId: user.id } });
  }
  const exported = await s.formats.exportDocument(content, format, { title: document.title });
  const headers: Record<string, string> = { "content-type": exported.contentType, "cache-control": "no-store" };
  if (query.get("download") === "1") headers["content-disposition"] = attachment(`${document.title}.${exported.extension}`);
  return new Response(exported.body as BodyInit, { headers });
});

/**
 * Replaces the content with the body (Markdown, HTML, plain text, ProseMirror JSON or a .docx, by
 * its content type) as a forward change: open editors converge on it, and a "before import" version
 * keeps what was there. Answers once committed.
 */
export const PUT = onDocument("PUT /api/documents/:id/content", "write", async ({ s, params, request, user }) => {
  const contentType = request.headers.get("content-type") ?? undefined;
  let file: { bytes: Uint8Array; contentType?: string; filename?: string };
  if (contentType?.toLowerCase().startsWith("multipart/form-data")) {
    // From the editor's "Replace with a file…": the file's name tells its format where its type does not.
    const part = await request.formData().then((form) => form.get("file"), () => null);
    if (!(part instanceof Blob)) return errorResponse(400, 'send the file in a form field named "file"');
    file = { bytes: new Uint8Array(await part.arrayBuffer()), contentType: part.type || undefined, filename: (part as File).name || undefined };
  } else {
    file = { bytes: new Uint8Array(await request.arrayBuffer()), contentType };
  }
  try {
    const { content } = await s.formats.importDocument(file.bytes, { contentType: file.contentType, filename: file.filename, maxBytes: s.maxImportBytes });
    const before = await s.history.replaceContent(params.id, content, user.id, "before-import");
    return Response.json({ replaced: true, before });
  } catch (error) {
    return historyFailure(error, { logger: s.logger, context: { route: `${request.method} /api/documents/:id/content`, documentId: params.id, userId: user.id } });
  }
});

/** Content-Disposition for a title of any characters: an ASCII fallback and the UTF-8 original. */
function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\/]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename.replace(/[/\\]/g, "_"))}`;
}
