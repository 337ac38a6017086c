import type { JSONContent } from "@tiptap/core";
import mammoth from "mammoth";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { IMPORT_ACCEPT as PICKER_ACCEPT } from "../../app/importTypes.ts";
import {
  contentTypeOf,
  EXPORT_FORMATS,
  exportDocument,
  formatOf,
  IMPORT_ACCEPT,
  ImportError,
  importDocument,
  MAX_DOCX_UNCOMPRESSED_BYTES,
  schema,
} from "../../server/formats/index.ts";
import { corpus } from "../support/corpus.ts";

const MAX_BYTES = 5 * 1024 * 1024;
const encode = (text: string) => new TextEncoder().encode(text);
/** The corpus as the schema writes it back (default attributes filled in), which is what an import returns. */
const normalized = schema.nodeFromJSON(corpus).toJSON() as JSONContent;

async function exportAs(format: "markdown" | "html" | "text" | "json", content: JSONContent = corpus): Promise<string> {
  const { body } = await exportDocument(content, format, { title: "Corpus" });
  expect(typeof body).toBe("string");
  return body as string;
}

async function importFails(bytes: Uint8Array, options: { filename?: string; contentType?: string; maxBytes?: number }): Promise<ImportError> {
  const failure = await importDocument(bytes, { maxBytes: MAX_BYTES, ...options }).then(
    () => null,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(ImportError);
  return failure as ImportError;
}

/** A zip archive of one deflated part, whose central directory may claim another size than it holds. */
function zipOf(name: string, content: Uint8Array, declaredSize = content.length): Uint8Array {
  const data = deflateRawSync(content);
  const nameBytes = encode(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declaredSize, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declaredSize, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(0, 42);
  const centralOffset = local.length + nameBytes.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return new Uint8Array(Buffer.concat([local, nameBytes, data, central, nameBytes, end]));
}

describe("Markdown export and import", () => {
  it("writes GFM: headings, marks, links, hard breaks, nested and task lists, quotes, fenced code with its language, rules", async () => {
    const markdown = await exportAs("markdown");
    expect(markdown).toContain("# Inkwell corpus\n");
    expect(markdown).toContain("## Lists\n");
    expect(markdown).toContain("**bold**, *italic*, ~~struck~~");
    expect(markdown).toContain("`inline code`");
    expect(markdown).toContain("[a link](https://example.com/page?q=1)");
    expect(markdown).toContain("First line  \nsecond line");
    expect(markdown).toContain("- Bullet two\n  - Nested bullet");
    expect(markdown).toContain("2. Step two\n   1. Sub-step");
    expect(markdown).toContain("- [x] Done task\n- [ ] Open task\n  - [x] Nested done task");
    expect(markdown).toContain("> A quoted paragraph.");
    expect(markdown).toContain('```ts\nconst greeting = "<hello>";\nconsole.log(greeting);\n```');
    expect(markdown).toContain("\n---\n");
    // GFM has no underline; TipTap's ++underline++ is what its own parser reads back.
    expect(markdown).toContain("++underlined++");
  });

  it("an exported document imports back unchanged, and exports again to the same file", async () => {
    const first = await exportAs("markdown");
    const imported = await importDocument(encode(first), { filename: "corpus.md", maxBytes: MAX_BYTES });
    expect(imported.content).toEqual(normalized);
    expect(imported.title).toBe("Inkwell corpus");
    expect(await exportAs("markdown", imported.content)).toBe(first);
  });

  it("imports a Markdown file sent as text/markdown without a name", async () => {
    const imported = await importDocument(encode("Just *one* line"), { contentType: "text/markdown; charset=utf-8", maxBytes: MAX_BYTES });
    expect(imported.title).toBeUndefined();
    expect(imported.content.content?.[0]).toEqual({
      type: "paragraph",
      content: [
        { type: "text", text: "Just " },
        { type: "text", text: "one", marks: [{ type: "italic" }] },
        { type: "text", text: " line" },
      ],
    });
  });
});

describe("HTML export and import", () => {
  it("writes a standalone page with the title escaped, a stylesheet and the document as HTML", async () => {
    const html = (await exportDocument(corpus, "html", { title: 'Plans <b>& "ideas"' })).body as string;
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain("<title>Plans &lt;b&gt;&amp; &quot;ideas&quot;</title>");
    expect(html).toContain("<style>");
    expect(html).toContain("<h1>Inkwell corpus</h1>");
    expect(html).toContain('<pre><code class="language-ts">const greeting = "&lt;hello&gt;";');
    expect(html).toContain('href="https://example.com/page?q=1"');
  });

  it("an exported page imports back unchanged, and exports again to the same file", async () => {
    const first = await exportAs("html");
    const imported = await importDocument(encode(first), { filename: "corpus.html", maxBytes: MAX_BYTES });
    expect(imported.content).toEqual(normalized);
    expect(imported.title).toBe("Inkwell corpus");
    expect(await exportAs("html", imported.content)).toBe(first);
  });
});

describe("plain text and JSON", () => {
  it("plain text separates blocks by blank lines and prefixes list items", async () => {
    const text = await exportAs("text");
    expect(text).toContain("Inkwell corpus\n\nPlain, bold, italic, struck, underlined, inline code and a link.\n\nFirst line\nsecond line");
    expect(text).toContain("- Bullet one\n- Bullet two\n  - Nested bullet");
    expect(text).toContain("1. Step one\n2. Step two\n   1. Sub-step");
    expect(text).toContain("[x] Done task\n[ ] Open task\n    [x] Nested done task");
    expect(text).toContain("> A quoted paragraph.");
    // Code stays verbatim, and no markup of any format appears.
    expect(text).toContain('const greeting = "<hello>";\nconsole.log(greeting);');
    expect(text).not.toMatch(/\*\*|<strong>|<p>/);
  });

  it("a text file becomes paragraphs, one per blank-line-separated block, with its line breaks kept and nothing read as markup", async () => {
    const imported = await importDocument(encode("\uFEFF# not a heading\r\nsecond line\r\n\r\n<b>third</b>\n"), { filename: "notes.txt", maxBytes: MAX_BYTES });
    expect(imported.title).toBeUndefined();
    expect(imported.content).toEqual({
      type: "doc",
      content: [
        { type: "paragraph", content: [{ type: "text", text: "# not a heading" }, { type: "hardBreak" }, { type: "text", text: "second line" }] },
        { type: "paragraph", content: [{ type: "text", text: "<b>third</b>" }] },
      ],
    });
  });

  it("JSON exports the ProseMirror document and imports back to it", async () => {
    const exported = await exportDocument(corpus, "json", { title: "Corpus" });
    expect(exported.contentType).toMatch(/^application\/json/);
    const imported = await importDocument(encode(exported.body as string), { filename: "corpus.json", maxBytes: MAX_BYTES });
    expect(imported.content).toEqual(normalized);
  });

  it("JSON the editor cannot hold is refused with the reason", async () => {
    const notDoc = await importFails(encode('{"hello": 1}'), { filename: "x.json" });
    expect(notDoc.status).toBe(400);
    expect(notDoc.message).toContain('"type": "doc"');
    const badNode = await importFails(encode('{"type":"doc","content":[{"type":"image","attrs":{"src":"x"}}]}'), { filename: "x.json" });
    expect(badNode.status).toBe(400);
    expect(badNode.message).toMatch(/not a document the editor can hold: .*image/);
    const badNesting = await importFails(encode('{"type":"doc","content":[{"type":"text","text":"loose"}]}'), { filename: "x.json" });
    expect(badNesting.status).toBe(400);
    const broken = await importFails(encode('{"type":"doc",'), { filename: "x.json" });
    expect(broken.message).toMatch(/^This file is not valid JSON/);
  });
});

describe("Word export and import", () => {
  it("a Word export read by mammoth has the headings, the lists and the text", async () => {
    const exported = await exportDocument(corpus, "docx", { title: "Corpus" });
    expect(exported.contentType).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(exported.extension).toBe("docx");
    const { value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(exported.body as Uint8Array) });
    expect(html).toContain("<h1>Inkwell corpus</h1>");
    expect(html).toContain("<h2>Lists</h2>");
    expect(html).toContain("<h3>Tasks</h3>");
    expect(html).toContain("<ul><li>Bullet one</li><li>Bullet two<ul><li>Nested bullet</li></ul></li></ul>");
    expect(html).toContain("<ol><li>Step one</li><li>Step two<ol><li>Sub-step</li></ol></li></ol>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<em>italic</em>");
    expect(html).toContain("<s>struck</s>");
    expect(html).toContain('<a href="https://example.com/page?q=1">a link</a>');
    expect(html).toContain("First line<br />second line");
    expect(html).toContain("☑ Done task");
    expect(html).toContain("☐ Open task");
  });

  it("a Word file Inkwell wrote imports back with its structure; only task items come back as ☐/☑ paragraphs", async () => {
    const exported = await exportDocument(corpus, "docx", { title: "Corpus" });
    const imported = await importDocument(exported.body as Uint8Array, { filename: "corpus.docx", maxBytes: MAX_BYTES });
    expect(imported.title).toBe("Inkwell corpus");
    const blocks = imported.content.content ?? [];
    const types = blocks.map((block) => block.type);
    expect(types.slice(0, 6)).toEqual(["heading", "paragraph", "paragraph", "heading", "bulletList", "orderedList"]);
    expect(blocks[1]).toEqual(normalized.content?.[1]); // every mark, underline and inline code included
    expect(blocks[4]).toEqual(normalized.content?.[4]);
    expect(blocks.find((block) => block.type === "blockquote")).toEqual(normalized.content?.find((block) => block.type === "blockquote"));
    // Word has no code language: the block comes back without it.
    expect(blocks.find((block) => block.type === "codeBlock")).toEqual({
      ...normalized.content?.find((block) => block.type === "codeBlock"),
      attrs: { language: null },
    });
    // Word has no checkboxes in text: a task item is a paragraph starting with ☑ or ☐.
    expect(blocks.filter((block) => block.type === "paragraph").map((block) => block.content?.[0]?.text)).toContain("☑ Done task");
  });
});

describe("import limits and refusals", () => {
  it("a file over the limit is refused, naming the limit in MiB", async () => {
    const failure = await importFails(new Uint8Array(3 * 1024 * 1024), { filename: "big.md", maxBytes: 2 * 1024 * 1024 });
    expect(failure.status).toBe(413);
    expect(failure.message).toBe("This file is 3 MiB; the largest file you can import is 2 MiB.");
  });

  it("a format it does not read is refused, naming the ones it does", async () => {
    const byName = await importFails(encode("%PDF-1.7"), { filename: "report.pdf", contentType: "application/pdf" });
    expect(byName.status).toBe(415);
    expect(byName.message).toContain('"report.pdf"');
    expect(byName.message).toContain("Markdown (.md), HTML (.html), plain text (.txt), Inkwell JSON (.json) or Word (.docx)");
    const byType = await importFails(encode("x"), { contentType: "image/png" });
    expect(byType.status).toBe(415);
    expect(byType.message).toContain("image/png");
  });

  it("text that is not UTF-8 is refused rather than garbled", async () => {
    const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]); // "café" in Latin-1
    const failure = await importFails(latin1, { filename: "menu.md" });
    expect(failure.status).toBe(400);
    expect(failure.message).toBe("This Markdown file is not UTF-8 text. Save it as UTF-8 and import it again.");
  });

  it("a .docx that is not a zip, or a zip that is not a Word document, is refused as such", async () => {
    const notZip = await importFails(encode("just text"), { filename: "letter.docx" });
    expect(notZip.status).toBe(400);
    expect(notZip.message).toMatch(/^This is not a Word \(\.docx\) file/);
    const otherZip = await importFails(zipOf("hello.txt", encode("hello")), { filename: "letter.docx" });
    expect(otherZip.status).toBe(400);
    expect(otherZip.message).toMatch(/cannot be read/);
    const truncated = (await exportDocument(corpus, "docx", { title: "x" })).body as Uint8Array;
    const cut = await importFails(truncated.subarray(0, truncated.length - 100), { filename: "letter.docx" });
    expect(cut.status).toBe(400);
  });

  it("a zip bomb that declares its size is refused before anything inflates it, naming the limit", async () => {
    const bomb = zipOf("word/document.xml", new Uint8Array(80 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(200 * 1024);
    const started = performance.now();
    const failure = await importFails(bomb, { filename: "bomb.docx" });
    // Inflating 64 MiB takes over 100 ms here; reading the central directory takes well under 1.
    expect(performance.now() - started).toBeLessThan(50);
    expect(failure.status).toBe(413);
    expect(MAX_DOCX_UNCOMPRESSED_BYTES).toBe(64 * 1024 * 1024);
    expect(failure.message).toBe("This Word file would unpack to 80 MiB; the most a Word file may unpack to is 64 MiB.");
  });

  it("a zip bomb that declares a small size is stopped at that size and refused as damaged", async () => {
    const liar = zipOf("word/document.xml", new Uint8Array(MAX_DOCX_UNCOMPRESSED_BYTES * 2), 1000);
    const failure = await importFails(liar, { filename: "liar.docx" });
    expect(failure.status).toBe(400);
    expect(failure.message).toBe("This Word file is damaged and cannot be read.");
  });
});

describe("format names", () => {
  it("formatOf reads the names and extensions a download link or file may use", () => {
    expect(formatOf("markdown")).toBe("markdown");
    expect(formatOf("MD")).toBe("markdown");
    expect(formatOf(".html")).toBe("html");
    expect(formatOf("txt")).toBe("text");
    expect(formatOf("json")).toBe("json");
    expect(formatOf("word")).toBe("docx");
    expect(formatOf("pdf")).toBeNull();
    expect(formatOf("")).toBeNull();
  });

  it("every export format has its content type and file extension", async () => {
    for (const format of EXPORT_FORMATS) {
      const exported = await exportDocument(corpus, format, { title: "x" });
      expect(exported.contentType).toBe(contentTypeOf(format));
      expect(formatOf(exported.extension)).toBe(format);
    }
  });

  it("the file picker accepts exactly what the server imports", () => {
    expect(PICKER_ACCEPT.split(",").sort()).toEqual(IMPORT_ACCEPT.split(",").sort());
  });
});
