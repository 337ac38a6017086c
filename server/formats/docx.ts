import type { JSONContent } from "@tiptap/core";
import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  type ParagraphChild,
  TextRun,
} from "docx";

const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
] as const;

const MONOSPACE = "Courier New";
/** Word counts indentation in twentieths of a point: 720 is half an inch, Word's own list step. */
const INDENT_STEP = 720;
const HANGING = 360;
/** Word numbering has nine levels (0-8); deeper nesting stays at the last. */
const MAX_LEVEL = 8;

/**
 * Paragraph styles named as Word and mammoth know them ("Quote", and "Code" for code blocks), so
 * that a Word file Inkwell wrote imports back as a blockquote and a code block.
 */
export const CODE_STYLE = "Code";
export const QUOTE_STYLE = "Quote";
export const INLINE_CODE_STYLE = "Inline Code";

const INLINE_CODE_ID = "InlineCode";

const BULLETS = ["•", "◦", "▪"];
const NUMBER_FORMATS = [LevelFormat.DECIMAL, LevelFormat.LOWER_LETTER, LevelFormat.LOWER_ROMAN];

function levels(kind: "bullet" | "number") {
  return Array.from({ length: MAX_LEVEL + 1 }, (_, level) => ({
    level,
    format: kind === "bullet" ? LevelFormat.BULLET : NUMBER_FORMATS[level % NUMBER_FORMATS.length],
    text: kind === "bullet" ? BULLETS[level % BULLETS.length] : `%${level + 1}.`,
    alignment: AlignmentType.LEFT,
    style: { paragraph: { indent: { left: INDENT_STEP * (level + 1), hanging: HANGING } } },
  }));
}

interface Marks {
  bold?: boolean;
  italics?: boolean;
  underline?: Record<string, never>;
  strike?: boolean;
  font?: string;
  style?: string;
}

function runMarks(node: JSONContent): Marks {
  const marks: Marks = {};
  for (const mark of node.marks ?? []) {
    if (mark.type === "bold") marks.bold = true;
    else if (mark.type === "italic") marks.italics = true;
    else if (mark.type === "underline") marks.underline = {};
    else if (mark.type === "strike") marks.strike = true;
    else if (mark.type === "code") {
      marks.font = MONOSPACE;
      marks.style = INLINE_CODE_ID;
    }
  }
  return marks;
}

function linkOf(node: JSONContent): string | null {
  const link = node.marks?.find((mark) => mark.type === "link");
  return typeof link?.attrs?.href === "string" ? link.attrs.href : null;
}

/** Runs for inline content; consecutive text under one link becomes one Word hyperlink. */
function inlineRuns(nodes: JSONContent[], extra: Marks = {}): ParagraphChild[] {
  const children: ParagraphChild[] = [];
  let link: { href: string; runs: TextRun[] } | null = null;
  const closeLink = () => {
    if (link) children.push(new ExternalHyperlink({ link: link.href, children: link.runs }));
    link = null;
  };
  for (const node of nodes) {
    if (node.type === "hardBreak") {
      closeLink();
      children.push(new TextRun({ break: 1 }));
      continue;
    }
    if (node.type !== "text") continue;
    const href = linkOf(node);
    const run = new TextRun({ text: node.text ?? "", ...extra, ...runMarks(node), ...(href ? { style: "Hyperlink" } : {}) });
    if (href) {
      if (link && link.href !== href) closeLink();
      link ??= { href, runs: [] };
      link.runs.push(run);
    } else {
      closeLink();
      children.push(run);
    }
  }
  closeLink();
  return children;
}

interface Context {
  /** List nesting depth, 0 outside lists. */
  depth: number;
  quoted: boolean;
  /** Each ordered list gets its own Word numbering instance, so each counts from 1. */
  nextListInstance: () => number;
}

function indentFor(context: Context, extraSteps = 0) {
  const steps = context.depth + (context.quoted ? 1 : 0) + extraSteps;
  return steps > 0 ? { indent: { left: INDENT_STEP * steps } } : {};
}

function blockParagraphs(node: JSONContent, context: Context): Paragraph[] {
  const style = context.quoted ? { style: QUOTE_STYLE } : {};
  switch (node.type) {
    case "heading": {
      const level = Math.min(Math.max(Number(node.attrs?.level) || 1, 1), 6);
      return [new Paragraph({ heading: HEADINGS[level - 1], children: inlineRuns(node.content ?? []) })];
    }
    case "paragraph":
      return [new Paragraph({ ...style, ...indentFor(context), children: inlineRuns(node.content ?? []) })];
    case "blockquote":
      return (node.content ?? []).flatMap((child) => blockParagraphs(child, { ...context, quoted: true }));
    case "codeBlock":
      // One Word paragraph per line keeps the lines apart in every reader (mammoth joins a style's
      // consecutive paragraphs back into one <pre> with the "Code" style map).
      return (inlineTextOf(node) || "").split("\n").map(
        (line) => new Paragraph({ style: CODE_STYLE, ...indentFor(context), children: [new TextRun({ text: line, font: MONOSPACE })] }),
      );
    case "horizontalRule":
      return [new Paragraph({ ...indentFor(context), border: { bottom: { style: "single", size: 6, color: "999999", space: 1 } }, children: [] })];
    case "bulletList":
    case "orderedList":
      return listParagraphs(node, context);
    case "taskList":
      return taskParagraphs(node, context);
    default:
      return [];
  }
}

function inlineTextOf(node: JSONContent): string {
  return (node.content ?? []).map((child) => (child.type === "hardBreak" ? "\n" : (child.text ?? ""))).join("");
}

function listParagraphs(list: JSONContent, context: Context): Paragraph[] {
  const reference = list.type === "orderedList" ? "numbers" : "bullets";
  const instance = list.type === "orderedList" ? context.nextListInstance() : 0;
  const level = Math.min(context.depth, MAX_LEVEL);
  const inner: Context = { ...context, depth: context.depth + 1 };
  return (list.content ?? []).flatMap((item) =>
    (item.content ?? []).flatMap((child, index) => {
      if (index === 0 && (child.type === "paragraph" || child.type === "heading")) {
        return [new Paragraph({ numbering: { reference, level, instance }, children: inlineRuns(child.content ?? []) })];
      }
      return blockParagraphs(child, inner);
    }),
  );
}

function taskParagraphs(list: JSONContent, context: Context): Paragraph[] {
  const inner: Context = { ...context, depth: context.depth + 1 };
  return (list.content ?? []).flatMap((item) =>
    (item.content ?? []).flatMap((child, index) => {
      if (index === 0 && child.type === "paragraph") {
        const box = new TextRun({ text: item.attrs?.checked ? "☑ " : "☐ " });
        return [new Paragraph({ ...indentFor(context, 1), children: [box, ...inlineRuns(child.content ?? [])] })];
      }
      return blockParagraphs(child, inner);
    }),
  );
}

/** A Word document of the editor's content, with real Word headings, lists and links. */
export async function documentToDocx(doc: JSONContent, title: string): Promise<Uint8Array> {
  let instances = 0;
  const context: Context = { depth: 0, quoted: false, nextListInstance: () => ++instances };
  const children = (doc.content ?? []).flatMap((block) => blockParagraphs(block, context));
  const file = new Document({
    title,
    creator: "Inkwell",
    styles: {
      paragraphStyles: [
        {
          id: CODE_STYLE,
          name: CODE_STYLE,
          basedOn: "Normal",
          run: { font: MONOSPACE, size: 20 },
          paragraph: { spacing: { before: 0, after: 0 } },
        },
        {
          id: QUOTE_STYLE,
          name: QUOTE_STYLE,
          basedOn: "Normal",
          run: { italics: true, color: "555555" },
          paragraph: { indent: { left: INDENT_STEP } },
        },
      ],
      characterStyles: [{ id: INLINE_CODE_ID, name: INLINE_CODE_STYLE, run: { font: MONOSPACE } }],
    },
    numbering: {
      config: [
        { reference: "bullets", levels: levels("bullet") },
        { reference: "numbers", levels: levels("number") },
      ],
    },
    sections: [{ children: children.length > 0 ? children : [new Paragraph({ children: [] })] }],
  });
  return new Uint8Array(await Packer.toBuffer(file));
}
