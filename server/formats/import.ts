import type { JSONContent } from "@tiptap/core";
import { DOMParser as ProseMirrorDOMParser } from "@tiptap/pm/model";
import { Window } from "happy-dom";
import mammoth from "mammoth";
import { CODE_STYLE, INLINE_CODE_STYLE, QUOTE_STYLE } from "./docx.ts";
import { withSafeLinks } from "./links.ts";
import { markdownToDocument } from "./markdown.ts";
import { schema } from "./schema.ts";
import { inlineText, textToDocument } from "./text.ts";
import { checkZip } from "./zip-guard.ts";

export type ImportKind = "markdown" | "html" | "text" | "json" | "docx";

const EXTENSION_KINDS: Record<string, ImportKind> = {
  md: "markdown",
  markdown: "markdown",
  html: "html",
  htm: "html",
  txt: "text",
  json: "json",
  docx: "docx",
};

const CONTENT_TYPE_KINDS: Record<string, ImportKind> = {
  "text/markdown": "markdown",
  "text/x-markdown": "markdown",
  "text/html": "html",
  "text/plain": "text",
  "application/json": "json",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
};

/**
 * The file picker's `accept` list. The same string as app/importTypes.ts (server code imports
 * nothing from app/); a test checks that they agree.
 */
export const IMPORT_ACCEPT = [
  ...Object.keys(EXTENSION_KINDS).map((extension) => `.${extension}`),
  ...Object.keys(CONTENT_TYPE_KINDS).filter((type) => type !== "text/x-markdown"),
].join(",");

const SUPPORTED = "Markdown (.md), HTML (.html), plain text (.txt), Inkwell JSON (.json) or Word (.docx)";

const MIB = 1024 * 1024;

/**
 * Word files are zip archives; what they inflate to is bounded separately from what was uploaded.
 * Text-only .docx files measured here inflate 4-25x (Inkwell's export of the test corpus: 10 KB to
 * 43 KB; of 2,000 paragraphs: 16 KB to 402 KB), so 64 MiB holds a real document of several MiB and
 * refuses a zip bomb.
 */
export const MAX_DOCX_UNCOMPRESSED_BYTES = 64 * MIB;

export class ImportError extends Error {
  /** Route handlers live in Next's bundle, with their own copy of this class: they test this instead. */
  readonly answersWith = "import-error";
  constructor(
    readonly status: 400 | 413 | 415,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ImportError";
  }
}

export interface ImportOptions {
  contentType?: string;
  filename?: string;
  /** The largest upload accepted, in bytes. */
  maxBytes: number;
}

export interface Imported {
  content: JSONContent;
  /** The first heading's text, if the file has a heading. */
  title?: string;
}

function mebibytes(bytes: number): string {
  const value = bytes / MIB;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} MiB`;
}

function kindOf({ contentType, filename }: ImportOptions): ImportKind | null {
  const extension = filename?.match(/\.([^./\\]+)$/)?.[1]?.toLowerCase();
  if (extension && EXTENSION_KINDS[extension]) return EXTENSION_KINDS[extension];
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  return (type && CONTENT_TYPE_KINDS[type]) || null;
}

function decodeText(bytes: Uint8Array, kind: string): string {
  try {
    // Fatal: a file in another encoding is refused rather than imported with replacement characters.
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw new ImportError(400, "not-utf8", `This ${kind} file is not UTF-8 text. Save it as UTF-8 and import it again.`, { cause: error });
  }
}

/**
 * HTML parsed into the schema, in a throwaway happy-dom window that can run nothing and fetch
 * nothing: JavaScript evaluation is off (also happy-dom's default since v20), script, stylesheet
 * and frame loading are off, navigation is off, and any fetch that slipped past those is refused
 * by the interceptor. ProseMirror's parser then keeps only what the schema has: no script, style,
 * iframe, svg, event handler or attribute outside the nodes' own parse rules survives.
 */
async function htmlToDocument(html: string): Promise<JSONContent> {
  const window = new Window({
    url: "about:blank",
    settings: {
      disableJavaScriptEvaluation: true,
      enableJavaScriptEvaluation: false,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
      disableIframePageLoading: true,
      disableComputedStyleRendering: true,
      handleDisabledFileLoadingAsSuccess: false,
      navigation: {
        disableMainFrameNavigation: true,
        disableChildFrameNavigation: true,
        disableChildPageNavigation: true,
        disableFallbackToSetURL: true,
      },
      fetch: {
        interceptor: {
          beforeAsyncRequest: async ({ request }) => {
            throw new Error(`refused to fetch ${request.url} while importing HTML`);
          },
          beforeSyncRequest: ({ request }) => {
            throw new Error(`refused to fetch ${request.url} while importing HTML`);
          },
        },
      },
    },
  });
  try {
    const parsed = new window.DOMParser().parseFromString(html, "text/html");
    return ProseMirrorDOMParser.fromSchema(schema)
      .parse(parsed.body as unknown as Node)
      .toJSON() as JSONContent;
  } finally {
    await window.happyDOM.close();
  }
}

async function docxToDocument(bytes: Uint8Array): Promise<JSONContent> {
  const problem = checkZip(bytes, MAX_DOCX_UNCOMPRESSED_BYTES);
  if (problem?.kind === "not-zip") throw new ImportError(400, "not-docx", "This is not a Word (.docx) file. Older .doc files need saving as .docx first.");
  if (problem?.kind === "too-large") {
    throw new ImportError(
      413,
      "docx-too-large",
      `This Word file would unpack to ${mebibytes(problem.uncompressedBytes)}; the most a Word file may unpack to is ${mebibytes(MAX_DOCX_UNCOMPRESSED_BYTES)}.`,
    );
  }
  if (problem?.kind === "damaged") {
    throw new ImportError(400, "damaged-docx", "This Word file is damaged and cannot be read.", { cause: new Error(problem.detail) });
  }
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        // A .docx can point at files by path; reading them would let an upload read the server's disk.
        externalFileAccess: false,
        // The schema has no images: skip encoding them as data: URIs only to drop them.
        convertImage: mammoth.images.imgElement(async () => ({ src: "" })),
        // Mammoth drops underline unless asked, and knows code and quotes only by style name.
        styleMap: [
          "u => u",
          `r[style-name='${INLINE_CODE_STYLE}'] => code`,
          `p[style-name='${CODE_STYLE}'] => pre:separator('\\n')`,
          `p[style-name='${QUOTE_STYLE}'] => blockquote > p:fresh`,
        ],
      },
    );
    html = result.value;
  } catch (error) {
    throw new ImportError(400, "damaged-docx", "This Word file is damaged or is not a Word document, and cannot be read.", { cause: error });
  }
  return htmlToDocument(html);
}

function jsonToDocument(text: string): JSONContent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ImportError(400, "invalid-json", `This file is not valid JSON (${(error as Error).message}).`, { cause: error });
  }
  if (typeof value !== "object" || value === null || (value as JSONContent).type !== "doc") {
    throw new ImportError(400, "not-a-document", 'This JSON is not an editor document: it needs a top-level {"type": "doc", "content": […]}.');
  }
  return value as JSONContent;
}

function firstHeading(doc: JSONContent): string | undefined {
  for (const block of doc.content ?? []) {
    if (block.type === "heading") {
      const text = inlineText(block).replace(/\s+/g, " ").trim();
      if (text) return text;
    }
  }
  return undefined;
}

/** Safe links, at least one block, and checked against the schema: what an editor can hold. */
function finish(doc: JSONContent, kind: ImportKind): JSONContent {
  const safe = withSafeLinks(doc);
  if (!safe.content?.length) safe.content = [{ type: "paragraph" }];
  try {
    const node = schema.nodeFromJSON(safe);
    node.check();
    return node.toJSON() as JSONContent;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ImportError(
      400,
      "invalid-document",
      kind === "json" ? `This JSON is not a document the editor can hold: ${reason}.` : "This file could not be turned into a document.",
      { cause: error },
    );
  }
}

/**
 * A file as editor content. The format comes from the file name's extension, else from the
 * content type. Refuses, with a sentence for the person importing, a file over `maxBytes` (413),
 * a format it does not read (415), and text that is not UTF-8, JSON that is not a document, or a
 * damaged or oversized Word file (400/413).
 */
export async function importDocument(bytes: Uint8Array, options: ImportOptions): Promise<Imported> {
  if (bytes.byteLength > options.maxBytes) {
    throw new ImportError(413, "too-large", `This file is ${mebibytes(bytes.byteLength)}; the largest file you can import is ${mebibytes(options.maxBytes)}.`);
  }
  const kind = kindOf(options);
  if (!kind) {
    const what = options.filename ? `"${options.filename}"` : options.contentType ? `a ${options.contentType} file` : "this file";
    throw new ImportError(415, "unsupported-type", `Inkwell cannot import ${what}. It imports ${SUPPORTED}.`);
  }
  let doc: JSONContent;
  try {
    switch (kind) {
      case "markdown":
        doc = markdownToDocument(decodeText(bytes, "Markdown"));
        break;
      case "html":
        doc = await htmlToDocument(decodeText(bytes, "HTML"));
        break;
      case "text":
        doc = textToDocument(decodeText(bytes, "text"));
        break;
      case "json":
        doc = jsonToDocument(decodeText(bytes, "JSON"));
        break;
      case "docx":
        doc = await docxToDocument(bytes);
        break;
    }
  } catch (error) {
    if (error instanceof ImportError) throw error;
    // Kept as the cause, for the route to log: a converter's own failure on an odd file.
    throw new ImportError(400, "unreadable", "This file could not be read; it may be damaged.", { cause: error });
  }
  const content = finish(doc, kind);
  const title = firstHeading(content);
  return title === undefined ? { content } : { content, title };
}
