import type { JSONContent } from "@tiptap/core";
import { MarkdownManager } from "@tiptap/markdown";
import { extensions } from "./schema.ts";

/**
 * One manager for the process: it registers the extensions' tokenizers on marked's shared
 * instance, so a manager per call would register them again each time. It reads each extension's
 * own parseMarkdown/renderMarkdown, so the Markdown extension itself is not needed here. Without a
 * `window` it leaves raw HTML in Markdown as literal text rather than parsing it, which is what an
 * import wants.
 */
const manager = new MarkdownManager({ extensions });

export function documentToMarkdown(doc: JSONContent): string {
  const markdown = manager.serialize(doc);
  return markdown.endsWith("\n") ? markdown : `${markdown}\n`;
}

export function markdownToDocument(markdown: string): JSONContent {
  return manager.parse(markdown);
}
