import type { JSONContent } from "@tiptap/core";
import { renderToHTMLString } from "@tiptap/static-renderer/pm/html-string";
import { documentToDocx } from "./docx.ts";
import { withSafeLinks } from "./links.ts";
import { documentToMarkdown } from "./markdown.ts";
import { extensions, schema } from "./schema.ts";
import { documentToText } from "./text.ts";

export type ExportFormat = "markdown" | "html" | "text" | "json" | "docx";

export const EXPORT_FORMATS: readonly ExportFormat[] = ["markdown", "html", "text", "json", "docx"];

export interface Exported {
  body: Uint8Array | string;
  contentType: string;
  /** The file name extension, without the dot. */
  extension: string;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  markdown: "text/markdown; charset=utf-8",
  html: "text/html; charset=utf-8",
  text: "text/plain; charset=utf-8",
  json: "application/json; charset=utf-8",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
};

const EXTENSIONS: Record<ExportFormat, string> = { markdown: "md", html: "html", text: "txt", json: "json", docx: "docx" };

const ALIASES: Record<string, ExportFormat> = {
  markdown: "markdown",
  md: "markdown",
  html: "html",
  htm: "html",
  text: "text",
  txt: "text",
  plain: "text",
  json: "json",
  docx: "docx",
  word: "docx",
};

/** The export format a query parameter or file extension names ("md", "Markdown", "word"…), or null. */
export function formatOf(name: string): ExportFormat | null {
  return ALIASES[name.trim().toLowerCase().replace(/^\./, "")] ?? null;
}

export function contentTypeOf(format: ExportFormat): string {
  return CONTENT_TYPES[format];
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const STYLESHEET = `body{max-width:42rem;margin:2rem auto;padding:0 1rem;font:16px/1.6 system-ui,sans-serif;color:#1d1d1f}
pre{background:#f4f4f5;padding:.75rem 1rem;border-radius:6px;overflow:auto}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
blockquote{margin:1rem 0;padding-left:1rem;border-left:3px solid #d4d4d8;color:#52525b}
ul[data-type="taskList"]{list-style:none;padding-left:.25rem}
ul[data-type="taskList"] li{display:flex;gap:.5rem}
ul[data-type="taskList"] li>label{flex:none}
hr{border:none;border-top:1px solid #d4d4d8;margin:2rem 0}`;

/** The document body as HTML, without a DOM: text is escaped by the renderer. */
export function documentToHtmlBody(doc: JSONContent): string {
  return renderToHTMLString({ content: schema.nodeFromJSON(doc), extensions });
}

function standaloneHtml(doc: JSONContent, title: string): string {
  return `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
${STYLESHEET}
</style>
</head>
<body>
${documentToHtmlBody(doc)}
</body>
</html>
`;
}

/**
 * The document in one of the export formats. Links that could run something when clicked
 * (javascript:, data:, …) are dropped first, whatever the format: a document can be written by any
 * collaborator's client, not only by Inkwell's editor.
 */
export async function exportDocument(content: JSONContent, format: ExportFormat, { title }: { title: string }): Promise<Exported> {
  const doc = withSafeLinks(content);
  const contentType = CONTENT_TYPES[format];
  const extension = EXTENSIONS[format];
  switch (format) {
    case "markdown":
      return { body: documentToMarkdown(doc), contentType, extension };
    case "html":
      return { body: standaloneHtml(doc, title), contentType, extension };
    case "text":
      return { body: documentToText(doc), contentType, extension };
    case "json":
      return { body: `${JSON.stringify(doc, null, 2)}\n`, contentType, extension };
    case "docx":
      return { body: await documentToDocx(doc, title), contentType, extension };
  }
}
