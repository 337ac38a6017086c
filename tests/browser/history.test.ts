import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { share, signUp, type TestUser } from "../support/accounts.ts";
import { chromiumAvailable, launchChromium, signedInContext } from "../support/browser.ts";
import { freshStorage, ROOT, type ServerProcess, type Storage, startServer } from "../support/server.ts";

const ARTIFACTS = path.join(ROOT, "test-results");

describe.runIf(chromiumAvailable())("the history panel", () => {
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

  /** A page in the user's own signed-in browser, wide enough for the panel beside the document. */
  async function openAs(user: TestUser, url: string, role: "writer" | "viewer" = "writer"): Promise<Page> {
    const context = await signedInContext(browser, server.url, user, { width: 1280, height: 800 });
    const page = await context.newPage();
    page.on("pageerror", (error) => console.error(`[${user.name}] page error:`, error));
    await page.goto(url);
    await page.locator('[data-testid="editor"] .ProseMirror').waitFor();
    if (role === "viewer") await page.getByTestId("read-only-notice").waitFor({ timeout: 15_000 });
    else await saved(page);
    return page;
  }

  const saved = (page: Page) => page.locator('[data-testid="save-status"]').filter({ hasText: "Saved" }).waitFor({ timeout: 15_000 });

  async function nameVersion(user: TestUser, documentId: string, name: string): Promise<void> {
    const response = await user.request(`/api/documents/${documentId}/versions`, { method: "POST", body: JSON.stringify({ name }) });
    expect(response.status, await response.clone().text()).toBe(201);
  }

  it("shows Bob's changes between two named versions with his name, and restoring the first one reaches Bob's open editor", async () => {
    const ada = await signUp(server.url, "Ada Lovelace");
    const bob = await signUp(server.url, "Bob Smith");
    const created = await ada.createDocument("History");
    await share(ada, created.id, bob.email, "editor");
    const url = `${server.url}${created.url}`;
    const adaPage = await openAs(ada, url);
    const bobPage = await openAs(bob, url);
    const adaEditor = adaPage.locator('[data-testid="editor"] .ProseMirror');
    const bobEditor = bobPage.locator('[data-testid="editor"] .ProseMirror');

    await adaEditor.click();
    await adaPage.keyboard.type("The original sentence.");
    await saved(adaPage);
    await expect.poll(() => bobEditor.innerText(), { timeout: 10_000 }).toContain("The original sentence.");
    await nameVersion(ada, created.id, "First draft");

    // Bob selects "original " as a mouse drag would (arrow-key selection raced the editor's own
    // selection updates in one of three runs) and deletes it, then adds a sentence at the end.
    await bobEditor.click();
    await bobEditor.evaluate((editor) => {
      const walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const text = walker.currentNode as Text;
        const at = text.data.indexOf("original ");
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(text, at);
        range.setEnd(text, at + "original ".length);
        getSelection()?.removeAllRanges();
        getSelection()?.addRange(range);
        return;
      }
      throw new Error("no “original ” in Bob's editor");
    });
    await expect.poll(() => bobPage.evaluate(() => getSelection()?.toString())).toBe("original ");
    await bobPage.keyboard.press("Delete");
    await expect.poll(() => bobEditor.innerText()).toContain("The sentence.");
    await bobPage.keyboard.press("End");
    await bobPage.keyboard.type(" Bob was here.");
    await saved(bobPage);
    await expect.poll(() => adaEditor.innerText(), { timeout: 10_000 }).toContain("The sentence. Bob was here.");
    await nameVersion(bob, created.id, "Second");

    await adaPage.getByTestId("history-button").click();
    const versions = adaPage.getByTestId("version-item");
    await versions.filter({ hasText: "Second" }).click();
    // Automatic versions may sit between the two named ones; compare with "First draft" itself.
    const compare = adaPage.getByTestId("compare-with");
    const firstDraftOption = compare.locator("option", { hasText: "First draft" }).first();
    await compare.selectOption(await firstDraftOption.getAttribute("value"));

    const view = adaPage.getByTestId("version-view");
    const inserted = view.locator('[data-diff="inserted"]', { hasText: "Bob was here" });
    const deleted = view.locator('[data-diff="deleted"]', { hasText: "original" });
    await inserted.waitFor({ timeout: 15_000 });
    await deleted.waitFor();
    expect(await inserted.getAttribute("title")).toBe("Added by Bob Smith");
    expect(await deleted.getAttribute("title")).toBe("Deleted by Bob Smith");
    expect(await view.locator("[data-diff]", { hasText: "The" }).count()).toBe(0);
    expect(await adaPage.getByTestId("diff-legend").innerText()).toContain("Bob Smith");
    await mkdir(ARTIFACTS, { recursive: true });
    await adaPage.screenshot({ path: path.join(ARTIFACTS, "history-diff.png") });

    await versions.filter({ hasText: "First draft" }).click();
    await adaPage.getByTestId("restore-version").click();
    await adaPage.getByTestId("confirm-delete").click();
    await adaPage.getByTestId("version-pane").waitFor({ state: "detached", timeout: 15_000 });

    for (const editor of [bobEditor, adaEditor]) {
      await expect.poll(() => editor.innerText(), { timeout: 15_000 }).toContain("The original sentence.");
      expect(await editor.innerText()).not.toContain("Bob was here");
    }

    // The restore kept what was there as a version of its own.
    await versions.filter({ hasText: "Before restore" }).waitFor({ timeout: 15_000 });

    // The list is one tab stop walked with the arrow keys; Escape closes a version, then the panel.
    await versions.first().focus();
    await adaPage.keyboard.press("ArrowDown");
    expect(await adaPage.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("version-item");
    expect(await versions.nth(1).evaluate((button) => button === document.activeElement)).toBe(true);
    await adaPage.keyboard.press("Enter");
    await adaPage.getByTestId("version-pane").waitFor();
    await adaPage.keyboard.press("Escape");
    await adaPage.getByTestId("version-pane").waitFor({ state: "detached" });
    await adaPage.keyboard.press("Escape");
    await adaPage.getByTestId("history-panel").waitFor({ state: "detached" });
  });

  it("a viewer browses versions but is offered neither naming nor restoring", async () => {
    const ada = await signUp(server.url, "Ada Owner");
    const viola = await signUp(server.url, "Viola Viewer");
    const created = await ada.createDocument("Read only history");
    await share(ada, created.id, viola.email, "viewer");
    const adaPage = await openAs(ada, `${server.url}${created.url}`);
    await adaPage.locator('[data-testid="editor"] .ProseMirror').click();
    await adaPage.keyboard.type("Something to keep.");
    await saved(adaPage);
    await nameVersion(ada, created.id, "Kept");

    const violaPage = await openAs(viola, `${server.url}${created.url}`, "viewer");
    await violaPage.getByTestId("history-button").click();
    await violaPage.getByTestId("version-item").filter({ hasText: "Kept" }).click();
    await violaPage.getByTestId("version-view").filter({ hasText: "Something to keep." }).waitFor({ timeout: 15_000 });
    expect(await violaPage.getByTestId("restore-version").count()).toBe(0);
    expect(await violaPage.getByTestId("name-version").count()).toBe(0);
  });
});
