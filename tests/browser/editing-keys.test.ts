import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { share, signUp, type TestUser } from "../support/accounts.ts";
import { chromiumAvailable, launchChromium, signedInContext } from "../support/browser.ts";
import { freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

const BODY = '[data-testid="editor"] .ProseMirror';

describe.runIf(chromiumAvailable())("the keys a writer reaches for", () => {
  let storage: Storage;
  let server: ServerProcess;
  let browser: Browser;
  let writer: TestUser;
  let context: BrowserContext;

  beforeAll(async () => {
    storage = await freshStorage("embedded");
    server = await startServer(storage);
    browser = await launchChromium();
    writer = await signUp(server.url, "Grace Hopper");
    context = await signedInContext(browser, server.url, writer);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await storage?.dispose();
  });

  /** A document of the writer's, open and saved, with the caret in its empty body. */
  async function openDocument(title = "Keys"): Promise<Page> {
    const document = await writer.createDocument(title);
    const page = await context.newPage();
    page.on("pageerror", (error) => console.error("page error:", error));
    await page.goto(`${server.url}${document.url}`);
    await page.locator(BODY).waitFor();
    await page.getByTestId("save-status").filter({ hasText: "Saved" }).waitFor({ timeout: 15_000 });
    await page.locator(BODY).click();
    return page;
  }

  /** The body's paragraphs, spaces and all. */
  const paragraphs = (page: Page) => page.locator(`${BODY} p`).evaluateAll((nodes) => nodes.map((node) => node.textContent ?? ""));

  /**
   * The paragraphs with text. Undoing everything leaves the empty paragraph a document always
   * has, which y-tiptap writes to Yjs outside the history, so redoing puts the text after it.
   */
  const written = async (page: Page) => (await paragraphs(page)).filter((text) => text !== "");

  const THREE_PARAGRAPHS = ["First paragraph here.", "Second paragraph here.", "Third paragraph here."];
  /**
   * Fast typing (a pause of 500 ms ends an undo step), but each key its own change: with no
   * delay a busy machine's Chromium hands several keys to ProseMirror at once.
   */
  const FAST = { delay: 25 };

  async function typeThreeParagraphs(page: Page): Promise<void> {
    await page.keyboard.type(THREE_PARAGRAPHS[0], FAST);
    for (const paragraph of THREE_PARAGRAPHS.slice(1)) {
      await page.keyboard.press("Enter");
      await page.keyboard.type(paragraph, FAST);
    }
    await expect.poll(() => paragraphs(page)).toEqual(THREE_PARAGRAPHS);
  }

  for (const redoKeys of ["Control+Shift+z", "Control+y"]) {
    it(`after undo and redo (${redoKeys}), typing continues after the restored text`, async () => {
      const page = await openDocument();
      await typeThreeParagraphs(page);

      await page.keyboard.press("Control+z");
      await expect.poll(() => paragraphs(page)).not.toEqual(THREE_PARAGRAPHS);
      await page.keyboard.press(redoKeys);
      await expect.poll(() => paragraphs(page)).toEqual(THREE_PARAGRAPHS);
      await page.keyboard.type("X");

      await expect.poll(() => paragraphs(page)).toEqual([THREE_PARAGRAPHS[0], THREE_PARAGRAPHS[1], "Third paragraph here.X"]);
      await page.close();
    });
  }

  it("after undoing a whole fast burst and redoing it, typing continues at its end, not at the top", async () => {
    const page = await openDocument();
    await typeThreeParagraphs(page);

    for (let presses = 0; presses < 40 && (await page.locator(BODY).innerText()).trim() !== ""; presses++) {
      await page.keyboard.press("Control+z");
    }
    expect((await page.locator(BODY).innerText()).trim()).toBe("");
    for (let presses = 0; presses < 40 && JSON.stringify(await written(page)) !== JSON.stringify(THREE_PARAGRAPHS); presses++) {
      await page.keyboard.press("Control+y");
    }
    expect(await written(page)).toEqual(THREE_PARAGRAPHS);
    await page.keyboard.type("X");

    await expect.poll(() => written(page)).toEqual([THREE_PARAGRAPHS[0], THREE_PARAGRAPHS[1], "Third paragraph here.X"]);
    await page.close();
  });

  it("a fast burst of words is undone a word at a time, and a long run without spaces in pieces", async () => {
    const page = await openDocument();
    await page.keyboard.type("one two three four", FAST);

    await page.keyboard.press("Control+z");
    await expect.poll(() => paragraphs(page)).toEqual(["one two three "]);
    await page.keyboard.press("Control+z");
    await expect.poll(() => paragraphs(page)).toEqual(["one two "]);
    await page.keyboard.press("Control+Shift+z");
    await expect.poll(() => paragraphs(page)).toEqual(["one two three "]);

    await page.keyboard.press("End");
    const run = "x".repeat(90);
    await page.keyboard.type(run, FAST);
    await expect.poll(() => paragraphs(page)).toEqual([`one two three ${run}`]);
    await page.keyboard.press("Control+z");
    const [afterOneUndo] = await paragraphs(page);
    expect(afterOneUndo.length).toBeGreaterThan("one two three ".length);
    expect(afterOneUndo.length).toBeLessThan(`one two three ${run}`.length);
    await page.close();
  });

  it("Ctrl+click opens a link in a new tab, and the link's bubble opens, edits and removes it", async () => {
    const page = await openDocument();
    const target = `${server.url}/guide-one`;
    await page.keyboard.type("Visit the guide");
    for (let i = 0; i < "the guide".length; i++) await page.keyboard.press("Shift+ArrowLeft");
    page.once("dialog", (dialog) => void dialog.accept(target));
    await page.keyboard.press("Control+k");
    const link = page.locator(`${BODY} a`);
    await expect.poll(() => link.getAttribute("href")).toBe(target);

    const [opened] = await Promise.all([context.waitForEvent("page"), link.click({ modifiers: ["Control"] })]);
    await expect.poll(() => opened.url()).toBe(target);
    // noopener: the new tab cannot reach back into the document.
    expect(await opened.evaluate(() => window.opener)).toBeNull();
    await opened.close();
    expect(await paragraphs(page)).toEqual(["Visit the guide"]);

    await link.click();
    const bubble = page.getByTestId("link-bubble");
    await bubble.getByRole("button", { name: "Edit" }).waitFor();
    const [openedFromBubble] = await Promise.all([context.waitForEvent("page"), bubble.getByRole("button", { name: "Open" }).click()]);
    await expect.poll(() => openedFromBubble.url()).toBe(target);
    await openedFromBubble.close();

    await link.click();
    await bubble.getByRole("button", { name: "Edit" }).click();
    const address = bubble.getByRole("textbox", { name: "Link address" });
    await address.fill("javascript:alert(1)");
    await address.press("Enter");
    await bubble.getByRole("alert").filter({ hasText: "cannot be a link" }).waitFor();
    expect(await link.getAttribute("href")).toBe(target);
    await address.fill("example.org/two");
    await address.press("Enter");
    await expect.poll(() => link.getAttribute("href")).toBe("https://example.org/two");
    expect(await paragraphs(page)).toEqual(["Visit the guide"]);

    await link.click();
    await bubble.getByRole("button", { name: "Remove" }).click();
    await expect.poll(() => link.count()).toBe(0);
    expect(await paragraphs(page)).toEqual(["Visit the guide"]);
    await page.close();
  });

  it("a viewer's link bubble offers Open only, and Ctrl+click opens one tab", async () => {
    const document = await writer.createDocument("Shared links");
    const writerPage = await context.newPage();
    await writerPage.goto(`${server.url}${document.url}`);
    await writerPage.locator(BODY).click();
    await writerPage.keyboard.type("See the plan");
    for (let i = 0; i < "the plan".length; i++) await writerPage.keyboard.press("Shift+ArrowLeft");
    const target = `${server.url}/plan`;
    writerPage.once("dialog", (dialog) => void dialog.accept(target));
    await writerPage.keyboard.press("Control+k");
    // The writer's own selection would cover the link in the reader's page.
    await writerPage.keyboard.press("End");
    await writerPage.getByTestId("save-status").filter({ hasText: "Saved" }).waitFor({ timeout: 15_000 });

    const reader = await signUp(server.url, "Rita Reader");
    await share(writer, document.id, reader.email, "viewer");
    const readerContext = await signedInContext(browser, server.url, reader);
    const page = await readerContext.newPage();
    await page.goto(`${server.url}${document.url}`);
    const link = page.locator(`${BODY} a`);
    await expect.poll(() => link.getAttribute("href"), { timeout: 15_000 }).toBe(target);

    const opened: Page[] = [];
    readerContext.on("page", (tab) => opened.push(tab));
    await link.click({ modifiers: ["Control"] });
    await expect.poll(() => opened.length).toBe(1);
    await expect.poll(() => opened[0].url()).toBe(target);
    await page.waitForTimeout(500);
    expect(opened).toHaveLength(1);

    const bubble = page.getByTestId("link-bubble");
    await bubble.getByRole("button", { name: "Open" }).waitFor();
    expect(await bubble.getByRole("button", { name: "Edit" }).count()).toBe(0);
    expect(await bubble.getByRole("button", { name: "Remove" }).count()).toBe(0);
    await readerContext.close();
    await writerPage.close();
  });

  it("the toolbar is one Tab stop: arrows, Home and End move inside it, Tab leaves, and coming back returns to the last button", async () => {
    const page = await openDocument();
    const focusedName = () => page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.tagName ?? "");
    const inToolbar = () => page.evaluate(() => document.activeElement?.closest('[role="toolbar"]') != null);

    await page.getByTestId("doc-title").focus();
    for (let presses = 0; presses < 12 && !(await inToolbar()); presses++) await page.keyboard.press("Tab");
    expect(await focusedName()).toBe("Bold");
    await page.keyboard.press("ArrowRight");
    expect(await focusedName()).toBe("Italic");
    await page.keyboard.press("End");
    expect(await focusedName()).toBe("Redo");
    await page.keyboard.press("ArrowRight");
    expect(await focusedName()).toBe("Bold");
    await page.keyboard.press("ArrowLeft");
    expect(await focusedName()).toBe("Redo");
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    expect(await focusedName()).toBe("H1 Heading 1");

    await page.keyboard.press("Tab");
    expect(await inToolbar()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Document body");
    await page.keyboard.press("Shift+Tab");
    expect(await focusedName()).toBe("H1 Heading 1");
    // The heading buttons' names start with the text they show.
    for (const level of [1, 2, 3]) {
      const button = page.getByRole("toolbar", { name: "Formatting" }).getByRole("button", { name: `H${level} Heading ${level}`, exact: true });
      expect(await button.innerText()).toBe(`H${level}`);
    }
    await page.close();
  });

  it("Ctrl+S in the body or the title opens nothing and says that changes are saved automatically", async () => {
    const page = await openDocument();
    await page.evaluate(() => {
      const seen: boolean[] = [];
      (window as unknown as { savesPrevented: boolean[] }).savesPrevented = seen;
      window.addEventListener("keydown", (event) => {
        if (event.key === "s" && event.ctrlKey) seen.push(event.defaultPrevented);
      });
    });
    const hint = page.getByRole("status").filter({ hasText: "saves your changes automatically" });

    await page.keyboard.type("Draft");
    await page.keyboard.press("Control+s");
    await hint.waitFor();
    await hint.waitFor({ state: "hidden", timeout: 10_000 });
    await page.getByTestId("doc-title").click();
    await page.keyboard.press("Control+s");
    await hint.waitFor();

    expect(await page.evaluate(() => (window as unknown as { savesPrevented: boolean[] }).savesPrevented)).toEqual([true, true]);
    expect(await paragraphs(page)).toEqual(["Draft"]);
    expect(await page.getByTestId("doc-title").inputValue()).toBe("Keys");
    await page.close();
  });

  it("a new document's title is empty with a placeholder, has the focus, and takes exactly what is typed", async () => {
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByTestId("new-document").click();
    await page.waitForURL(/\/d\/[0-9a-f-]{36}$/);
    const id = page.url().split("/").at(-1)!;
    const title = page.getByTestId("doc-title");
    await page.locator(BODY).waitFor();

    expect(await title.inputValue()).toBe("");
    expect(await title.getAttribute("placeholder")).toBe("Untitled document");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("doc-title");

    // Leaving it empty keeps the document untitled, without an error.
    await page.keyboard.press("Enter");
    await page.locator(BODY).click();
    expect(await title.inputValue()).toBe("");
    expect(await page.getByTestId("editor-notice").count()).toBe(0);

    await title.click();
    await page.keyboard.type("Agenda");
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await (await writer.request(`/api/documents/${id}`)).json()).title).toBe("Agenda");
    expect(await title.inputValue()).toBe("Agenda");
    await page.close();
  });

  it("a document with a title opens with the caret in its body", async () => {
    const minutes = await writer.createDocument("Minutes");
    const page = await context.newPage();
    await page.goto(`${server.url}${minutes.url}`);
    await page.locator(BODY).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Document body");
    await page.keyboard.type("Typed at once");
    await expect.poll(() => paragraphs(page)).toEqual(["Typed at once"]);
    await page.close();
  });
});
