import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, launchChromium } from "../support/browser.ts";
import { createDocument, freshStorage, ROOT, type ServerProcess, type Storage, startServer } from "../support/server.ts";

const ARTIFACTS = path.join(ROOT, "test-results");

describe.runIf(chromiumAvailable())("two writers in Chromium", () => {
  let storage: Storage;
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    storage = await freshStorage("embedded");
    server = await startServer(storage);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await storage?.dispose();
  });

  /** A page in its own browser context, so each writer has their own stored name and colour. */
  async function openAs(name: string, color: string, url: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
    await context.addInitScript(
      ([key, value]) => window.localStorage.setItem(key, value),
      ["inkwell:user", JSON.stringify({ name, color })] as const,
    );
    const page = await context.newPage();
    page.on("pageerror", (error) => console.error(`[${name}] page error:`, error));
    await page.goto(url);
    await page.locator('[data-testid="editor"] .ProseMirror').waitFor();
    await expectStatus(page, "Saved");
    return page;
  }

  const expectStatus = (page: Page, text: string) =>
    page.locator('[data-testid="save-status"]').filter({ hasText: text }).waitFor({ timeout: 15_000 });

  it("text typed by one writer appears for the other with a caret labelled with their name, and survives reload", async () => {
    const document = await createDocument(server.url, "Shared notes");
    const url = `${server.url}${document.url}`;
    const ada = await openAs("Ada Lovelace", "#e0457b", url);
    const brian = await openAs("Brian Kernighan", "#2f7de1", url);

    await ada.locator('[data-testid="editor"] .ProseMirror').click();
    await ada.keyboard.type("Hello from Ada, typing live.");

    const brianEditor = brian.locator('[data-testid="editor"] .ProseMirror');
    await expect.poll(() => brianEditor.innerText(), { timeout: 10_000 }).toContain("Hello from Ada, typing live.");
    const caretLabel = brian.locator(".collaboration-carets__label", { hasText: "Ada Lovelace" });
    await caretLabel.waitFor({ timeout: 10_000 });
    await brian.locator('[data-testid="avatar"][title^="Ada Lovelace"]').waitFor();
    await expectStatus(ada, "Saved");

    await mkdir(ARTIFACTS, { recursive: true });
    const [left, right] = await Promise.all([ada.screenshot(), brian.screenshot()]);
    const composer = await browser.newPage({ viewport: { width: 1800, height: 700 } });
    await composer.setContent(
      `<body style="margin:0;display:flex">${[left, right]
        .map((png) => `<img style="width:900px;border-right:1px solid #999" src="data:image/png;base64,${png.toString("base64")}">`)
        .join("")}</body>`,
    );
    await writeFile(path.join(ARTIFACTS, "two-writers.png"), await composer.screenshot());

    await brian.reload();
    await brian.locator('[data-testid="editor"] .ProseMirror').waitFor();
    await expect.poll(() => brianEditor.innerText(), { timeout: 10_000 }).toContain("Hello from Ada, typing live.");
    await expectStatus(brian, "Saved");
  });
});
