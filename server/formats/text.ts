import type { JSONContent } from "@tiptap/core";

/** The text of inline content; a hard break is a line break. */
export function inlineText(node: JSONContent): string {
  if (node.type === "text") return node.text ?? "";
  if (node.type === "hardBreak") return "\n";
  return (node.content ?? []).map(inlineText).join("");
}

function indent(text: string, prefix: string): string {
  const pad = " ".repeat(prefix.length);
  return text
    .split("\n")
    .map((line, index) => (index === 0 ? prefix + line : line === "" ? "" : pad + line))
    .join("\n");
}

function listItems(list: JSONContent, marker: (index: number, item: JSONContent) => string): string {
  const start = typeof list.attrs?.start === "number" ? list.attrs.start : 1;
  // Items of one list sit on consecutive lines; a blank line only ends the list.
  return (list.content ?? [])
    .map((item, index) => indent(blocksText(item.content ?? [], "\n"), marker(start + index, item)))
    .join("\n");
}

function blockText(node: JSONContent): string {
  switch (node.type) {
    case "bulletList":
      return listItems(node, () => "- ");
    case "orderedList":
      return listItems(node, (number) => `${number}. `);
    case "taskList":
      return listItems(node, (_, item) => (item.attrs?.checked ? "[x] " : "[ ] "));
    case "blockquote":
      return blocksText(node.content ?? [], "\n\n")
        .split("\n")
        .map((line) => (line ? `> ${line}` : ">"))
        .join("\n");
    case "horizontalRule":
      return "---";
    case "codeBlock":
      return inlineText(node);
    default:
      return inlineText(node);
  }
}

function blocksText(blocks: JSONContent[], separator: string): string {
  return blocks.map(blockText).join(separator);
}

/** Plain text: blocks separated by blank lines, list items prefixed ("- ", "1. ", "[x] "), nesting indented. */
export function documentToText(doc: JSONContent): string {
  return `${blocksText(doc.content ?? [], "\n\n")}\n`;
}

/**
 * A document from plain text: a blank line starts a new paragraph, a single line break stays one
 * (a hard break). Nothing in the text is read as markup.
 */
export function textToDocument(text: string): JSONContent {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n+/)
    .map((block) => block.replace(/^\n+|\n+$/g, ""))
    .filter((block) => block.trim() !== "");
  return {
    type: "doc",
    content: paragraphs.map((block) => {
      const content: JSONContent[] = [];
      block.split("\n").forEach((line, index) => {
        if (index > 0) content.push({ type: "hardBreak" });
        if (line) content.push({ type: "text", text: line });
      });
      return { type: "paragraph", content };
    }),
  };
}
