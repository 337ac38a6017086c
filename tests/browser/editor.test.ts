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

  it("undo takes back only the writer's own typing, never someone else's", async () => {
    const document = await createDocument(server.url, "Undo");
    const url = `${server.url}${document.url}`;
    const ada = await openAs("Ada Lovelace", "#e0457b", url);
    const brian = await openAs("Brian Kernighan", "#2f7de1", url);
    const adaEditor = ada.locator('[data-testid="editor"] .ProseMirror');
    const brianEditor = brian.locator('[data-testid="editor"] .ProseMirror');

    await adaEditor.click();
    await ada.keyboard.type("Ada wrote this");
    await expect.poll(() => brianEditor.innerText()).toContain("Ada wrote this");
    await brianEditor.click();
    await brian.keyboard.press("End");
    await brian.keyboard.press("Enter");
    await brian.keyboard.type("Brian wrote that");
    await expect.poll(() => adaEditor.innerText()).toContain("Brian wrote that");

    await adaEditor.click();
    await ada.keyboard.press("Control+z");
    for (const editor of [adaEditor, brianEditor]) {
      await expect.poll(() => editor.innerText()).not.toContain("Ada wrote this");
      expect(await editor.innerText()).toContain("Brian wrote that");
    }
    await ada.keyboard.press("Control+Shift+z");
    await expect.poll(() => brianEditor.innerText()).toContain("Ada wrote this");
  });

  it("the home page creates, renames and, after confirmation, deletes a document", async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => window.localStorage.setItem("inkwell:user", JSON.stringify({ name: "Ada", color: "#e0457b" })));
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByTestId("new-document").click();
    await page.waitForURL(/\/d\/[0-9a-f-]{36}$/);
    const id = page.url().split("/").at(-1)!;
    await page.locator('[data-testid="editor"] .ProseMirror').waitFor();

    await page.getByTestId("home-link").click();
    const row = page.locator(`[data-testid="document-row"][data-document-id="${id}"]`);
    await expect.poll(() => row.getByTestId("document-title").innerText()).toBe("Untitled document");

    await row.getByTestId("rename-document").click();
    await row.getByTestId("rename-input").fill("Quarterly plan");
    await row.getByTestId("rename-input").press("Enter");
    await expect.poll(() => row.getByTestId("document-title").innerText()).toBe("Quarterly plan");
    expect((await (await fetch(`${server.url}/api/documents/${id}`)).json()).title).toBe("Quarterly plan");

    await row.getByTestId("delete-document").click();
    await page.getByTestId("cancel-delete").click();
    expect(await row.count()).toBe(1);
    expect((await fetch(`${server.url}/api/documents/${id}`)).status).toBe(200);

    await row.getByTestId("delete-document").click();
    await page.getByTestId("confirm-delete").click();
    await row.waitFor({ state: "detached" });
    expect((await fetch(`${server.url}/api/documents/${id}`)).status).toBe(404);
    await context.close();
  });
});

describe.runIf(chromiumAvailable())("a writer whose server goes away", () => {
  it("sees Offline, keeps typing, and everything is saved and shared once the server is back", async () => {
    const storage = await freshStorage("embedded");
    let server = await startServer(storage);
    const browser = await launchChromium();
    try {
      const { url: path } = await createDocument(server.url, "Resilient");
      const pages = await Promise.all(
        ["Ada", "Brian"].map(async (name) => {
          const context = await browser.newContext();
          await context.addInitScript((user) => window.localStorage.setItem("inkwell:user", user), JSON.stringify({ name, color: "#2f7de1" }));
          const page = await context.newPage();
          await page.goto(`${server.url}${path}`);
          await page.locator('[data-testid="save-status"]', { hasText: "Saved" }).waitFor({ timeout: 15_000 });
          return page;
        }),
      );
      const [ada, brian] = pages;
      const status = (page: Page, text: string) =>
        page.locator('[data-testid="save-status"]', { hasText: text }).waitFor({ timeout: 20_000 });

      await ada.locator('[data-testid="editor"] .ProseMirror').click();
      await ada.keyboard.type("Before the outage. ");
      await status(ada, "Saved");

      const port = new URL(server.url).port;
      expect(await server.stop()).toBe(0);
      await status(ada, "Offline");
      await ada.keyboard.type("Typed while the server was down.");
      await status(ada, "Offline");

      server = await startServer(storage, { PORT: port });
      await status(ada, "Saved");
      await expect
        .poll(() => brian.locator('[data-testid="editor"] .ProseMirror').innerText(), { timeout: 20_000 })
        .toContain("Before the outage. Typed while the server was down.");
    } finally {
      await browser.close();
      await server.stop();
      await storage.dispose();
    }
  });
});
