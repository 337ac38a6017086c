import type { JSONContent } from "@tiptap/core";

type Mark = NonNullable<JSONContent["marks"]>[number];

const text = (value: string, marks?: Mark[]): JSONContent => ({ type: "text", text: value, ...(marks ? { marks } : {}) });
const paragraph = (...content: JSONContent[]): JSONContent => ({ type: "paragraph", content });
const link = (href: string) => ({ type: "link", attrs: { href } });

/** One document with every node and mark the editor offers (editor/content-extensions.ts). */
export const corpus: JSONContent = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 1 }, content: [text("Inkwell corpus")] },
    paragraph(
      text("Plain, "),
      text("bold", [{ type: "bold" }]),
      text(", "),
      text("italic", [{ type: "italic" }]),
      text(", "),
      text("struck", [{ type: "strike" }]),
      text(", "),
      text("underlined", [{ type: "underline" }]),
      text(", "),
      text("inline code", [{ type: "code" }]),
      text(" and "),
      text("a link", [link("https://example.com/page?q=1")]),
      text("."),
    ),
    paragraph(text("First line"), { type: "hardBreak" }, text("second line after a hard break")),
    { type: "heading", attrs: { level: 2 }, content: [text("Lists")] },
    {
      type: "bulletList",
      content: [
        { type: "listItem", content: [paragraph(text("Bullet one"))] },
        {
          type: "listItem",
          content: [
            paragraph(text("Bullet two")),
            { type: "bulletList", content: [{ type: "listItem", content: [paragraph(text("Nested bullet"))] }] },
          ],
        },
      ],
    },
    {
      type: "orderedList",
      attrs: { start: 1 },
      content: [
        { type: "listItem", content: [paragraph(text("Step one"))] },
        {
          type: "listItem",
          content: [
            paragraph(text("Step two")),
            { type: "orderedList", attrs: { start: 1 }, content: [{ type: "listItem", content: [paragraph(text("Sub-step"))] }] },
          ],
        },
      ],
    },
    { type: "heading", attrs: { level: 3 }, content: [text("Tasks")] },
    {
      type: "taskList",
      content: [
        { type: "taskItem", attrs: { checked: true }, content: [paragraph(text("Done task"))] },
        {
          type: "taskItem",
          attrs: { checked: false },
          content: [
            paragraph(text("Open task")),
            { type: "taskList", content: [{ type: "taskItem", attrs: { checked: true }, content: [paragraph(text("Nested done task"))] }] },
          ],
        },
      ],
    },
    { type: "blockquote", content: [paragraph(text("A quoted paragraph."))] },
    { type: "codeBlock", attrs: { language: "ts" }, content: [text('const greeting = "<hello>";\nconsole.log(greeting);')] },
    { type: "horizontalRule" },
    paragraph(text("The end.")),
  ],
};
