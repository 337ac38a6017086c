// Placeholder until the formats work lands.
import type { JSONContent } from "@tiptap/core";

export type ExportFormat = "markdown" | "html" | "text" | "json" | "docx";
export interface Exported {
  body: Uint8Array | string;
  contentType: string;
  extension: string;
}
export class ImportError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
export function formatOf(name: string): ExportFormat | null {
  return (["markdown", "html", "text", "json", "docx"] as const).find((format) => format === name) ?? null;
}
export async function exportDocument(content: JSONContent, format: ExportFormat, _options: { title: string }): Promise<Exported> {
  if (format !== "json") throw new Error("not built yet");
  return { body: JSON.stringify(content), contentType: "application/json", extension: "json" };
}
export async function importDocument(bytes: Uint8Array, _options: { contentType?: string; filename?: string; maxBytes: number }): Promise<{ content: JSONContent; title?: string }> {
  return { content: JSON.parse(Buffer.from(bytes).toString("utf8")) as JSONContent };
}
