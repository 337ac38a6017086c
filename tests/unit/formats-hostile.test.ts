import type { JSONContent } from "@tiptap/core";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportDocument, importDocument, safeHref } from "../../server/formats/index.ts";

const MAX_BYTES = 5 * 1024 * 1024;
const encode = (text: string) => new TextEncoder().encode(text);

function linksOf(node: JSONContent): string[] {
  const own = (node.marks ?? []).filter((mark) => mark.type === "link").map((mark) => String(mark.attrs?.href));
  return [...own, ...(node.content ?? []).flatMap(linksOf)];
}

function textOf(node: JSONContent): string {
  return (node.text ?? "") + (node.content ?? []).map(textOf).join("");
}

describe("hostile HTML imports", () => {
  // A real server on port 0 that counts every request: an import must send it none.
  const requests: string[] = [];
  let server: Server;
  let origin: string;
  let scratch: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push(request.url ?? "");
      response.end("body{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    scratch = mkdtempSync(join(tmpdir(), "inkwell-hostile-"));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(scratch, { recursive: true, force: true });
  });

  it("runs nothing, fetches nothing, and keeps only the text and safe links", async () => {
    const marker = join(scratch, "pwned");
    const globals = globalThis as Record<string, unknown>;
    const hostile = `<!doctype html><html><head>
      <title>Hostile</title>
      <base href="${origin}/base/">
      <meta http-equiv="refresh" content="0;url=${origin}/refresh">
      <link rel="stylesheet" href="${origin}/style.css">
      <link rel="preload" as="fetch" href="${origin}/preload">
      <link rel="preload" as="script" href="${origin}/preload.js">
      <script src="${origin}/external.js"></script>
      <script>globalThis.__inkwellPwned = "script"; require("fs").writeFileSync(${JSON.stringify(marker)}, "x"); fetch("${origin}/from-script")</script>
      <style>@import url("${origin}/import.css"); body { background: url("${origin}/bg.png") }</style>
    </head><body onload="globalThis.__inkwellPwned = 'body onload'">
      <h1 onclick="alert(1)">Safe heading</h1>
      <p>Keep <img src="${origin}/image.png" onerror="globalThis.__inkwellPwned = 'img onerror'">this text.</p>
      <p><a href="javascript:alert(1)">refused 1</a>
         <a href="jav&#x61;script:alert(2)">refused 2</a>
         <a href="  JaVaScRiPt:alert(3)">refused 3</a>
         <a href="java&#9;script:alert(4)">refused 4</a>
         <a href="data:text/html,<script>alert(5)</script>">refused 5</a>
         <a href="vbscript:msgbox(6)">refused 6</a>
         <a href="https://example.com/ok">https link</a>
         <a href="mailto:someone@example.com">mail link</a>
         <a href="/d/relative">relative link</a></p>
      <iframe src="${origin}/frame" onload="globalThis.__inkwellPwned = 'iframe'"></iframe>
      <svg onload="globalThis.__inkwellPwned = 'svg'"><script>globalThis.__inkwellPwned = "svg script"</script><text>svg text</text></svg>
      <object data="${origin}/object"></object><embed src="${origin}/embed">
      <video poster="${origin}/poster.png" src="${origin}/video.mp4"></video>
      <form action="${origin}/form"><input autofocus onfocus="globalThis.__inkwellPwned = 'focus'"></form>
      <details open ontoggle="globalThis.__inkwellPwned = 'toggle'"><summary>Summary text</summary></details>
      <noscript><p>noscript text</p></noscript>
    </body></html>`;

    const imported = await importDocument(encode(hostile), { filename: "hostile.html", maxBytes: MAX_BYTES });
    // Anything asynchronous (a timer, a load event, a fetch) has had its chance by now.
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(globals.__inkwellPwned).toBeUndefined();
    expect(existsSync(marker)).toBe(false);
    expect(requests).toEqual([]);

    expect(imported.title).toBe("Safe heading");
    expect(linksOf(imported.content)).toEqual(["https://example.com/ok", "mailto:someone@example.com", "/d/relative"]);
    const text = textOf(imported.content);
    expect(text).toContain("Keep this text.");
    // The text of a refused link stays, the link does not.
    expect(text).toContain("refused 1 refused 2 refused 3 refused 4 refused 5 refused 6 https link");
    expect(text).not.toMatch(/alert|__inkwellPwned|writeFileSync|@import|msgbox/);
    const json = JSON.stringify(imported.content);
    expect(json).not.toMatch(/onclick|onerror|onload|javascript|vbscript|data:|iframe|svg|script/i);
  });

  it("turns a Markdown file's unsafe links into plain text and keeps its raw HTML as literal text", async () => {
    const markdown = [
      "[click](javascript:alert(1)) [entity](jav&#x61;script:alert(2)) [data](data:text/html;base64,PHNjcmlwdD4=)",
      "",
      "[ok](https://example.com) <https://example.org/auto>",
      "",
      '<img src=x onerror="globalThis.__inkwellPwned = 1">',
    ].join("\n");
    const imported = await importDocument(encode(markdown), { filename: "links.md", maxBytes: MAX_BYTES });
    expect(linksOf(imported.content)).toEqual(["https://example.com", "https://example.org/auto"]);
    expect(textOf(imported.content)).toContain("click entity data");
    // Literal text, shown as typed; exported to HTML it is escaped.
    const html = (await exportDocument(imported.content, "html", { title: "x" })).body as string;
    expect(html).toContain("&lt;img src=x onerror=");
    expect(html).not.toContain("<img");
    expect((globalThis as Record<string, unknown>).__inkwellPwned).toBeUndefined();
  });

  it("drops unsafe links from an imported JSON document", async () => {
    const doc = {
      type: "doc",
      content: [
        {
          type: "paragraph",
          content: [
            { type: "text", text: "bad", marks: [{ type: "link", attrs: { href: "javascript:alert(1)" } }] },
            { type: "text", text: " good", marks: [{ type: "link", attrs: { href: "https://example.com" } }] },
          ],
        },
      ],
    };
    const imported = await importDocument(encode(JSON.stringify(doc)), { filename: "doc.json", maxBytes: MAX_BYTES });
    expect(linksOf(imported.content)).toEqual(["https://example.com"]);
    expect(textOf(imported.content)).toBe("bad good");
  });
});

describe("exports of a document holding unsafe links", () => {
  // A collaborator's own client can put any href into the shared document.
  const doc: JSONContent = {
    type: "doc",
    content: [
      {
        type: "paragraph",
        content: [
          { type: "text", text: "run me", marks: [{ type: "link", attrs: { href: "javascript:alert(document.cookie)" } }] },
          { type: "text", text: " and <b>me</b>" },
        ],
      },
    ],
  };

  it("emit the text without the link, in every format", async () => {
    for (const format of ["markdown", "html", "text", "json"] as const) {
      const body = (await exportDocument(doc, format, { title: "<script>alert(1)</script>" })).body as string;
      expect(body, format).toContain("run me");
      expect(body, format).not.toContain("javascript:");
      expect(body, format).not.toContain("<script>");
    }
    const html = (await exportDocument(doc, "html", { title: "x" })).body as string;
    expect(html).toContain("and &lt;b&gt;me&lt;/b&gt;");
  });
});

describe("safeHref", () => {
  it("keeps http(s), mailto and relative addresses and refuses every other scheme however it is disguised", () => {
    for (const href of ["https://example.com", "HTTP://example.com", "mailto:a@b.c", "/d/1", "#part", "?q=1", "notes.md", "../up", "//example.com/x"]) {
      expect(safeHref(href), href).not.toBeNull();
    }
    for (const href of ["javascript:alert(1)", " javascript:x", "JAVASCRIPT:x", "java\nscript:x", "\u0001javascript:x", "jav&#x61;script:x", "jav&#97;script:x", "javascript&colon;x", "data:text/html,x", "vbscript:x", "file:///etc/passwd", "", "   "]) {
      expect(safeHref(href), JSON.stringify(href)).toBeNull();
    }
  });
});
