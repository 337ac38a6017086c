import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { share, signUp, type TestUser } from "../support/accounts.ts";
import { chromiumAvailable, launchChromium, signedInContext } from "../support/browser.ts";
import { freshStorage, ROOT, type ServerProcess, type Storage, startServer } from "../support/server.ts";

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

  /** Two people with accounts: Ada owns a document and Brian may edit it. */
  async function adaAndBrian(title: string): Promise<{ ada: TestUser; brian: TestUser; url: string }> {
    const ada = await signUp(server.url, "Ada Lovelace");
    const brian = await signUp(server.url, "Brian Kernighan");
    const document = await ada.createDocument(title);
    await share(ada, document.id, brian.email, "editor");
    return { ada, brian, url: `${server.url}${document.url}` };
  }

  /** A page in the user's own signed-in browser context. */
  async function openAs(user: TestUser, url: string): Promise<Page> {
    const context = await signedInContext(browser, server.url, user);
    const page = await context.newPage();
    page.on("pageerror", (error) => console.error(`[${user.name}] page error:`, error));
    await page.goto(url);
    await page.locator('[data-testid="editor"] .ProseMirror').waitFor();
    await expectStatus(page, "Saved");
    return page;
  }

  const expectStatus = (page: Page, text: string) =>
    page.locator('[data-testid="save-status"]').filter({ hasText: text }).waitFor({ timeout: 15_000 });

  it("text typed by one writer appears for the other with a caret labelled with their name, and survives reload", async () => {
    const people = await adaAndBrian("Shared notes");
    const ada = await openAs(people.ada, people.url);
    const brian = await openAs(people.brian, people.url);

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
    const people = await adaAndBrian("Undo");
    const ada = await openAs(people.ada, people.url);
    const brian = await openAs(people.brian, people.url);
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
    // One undo step per word: "Ada ", "wrote ", "this".
    for (let step = 0; step < 3; step++) await ada.keyboard.press("Control+z");
    for (const editor of [adaEditor, brianEditor]) {
      // Not just "Ada": Ada's caret label shows her name in Brian's editor.
      await expect.poll(() => editor.innerText()).not.toMatch(/Ada wrote|this/);
      expect(await editor.innerText()).toContain("Brian wrote that");
    }
    for (let step = 0; step < 3; step++) await ada.keyboard.press("Control+Shift+z");
    await expect.poll(() => brianEditor.innerText()).toContain("Ada wrote this");
  });

  it("the home page creates, renames and moves a document to the trash", async () => {
    const homeOwner = await signUp(server.url, "Home Owner");
    const context = await signedInContext(browser, server.url, homeOwner);
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByTestId("new-document").click();
    await page.waitForURL(/\/d\/[0-9a-f-]{36}$/);
    const id = page.url().split("/").at(-1)!;
    await page.locator('[data-testid="editor"] .ProseMirror').waitFor();

    await page.getByTestId("home-link").click();
    const row = page.getByTestId("owned-documents").locator(`[data-testid="document-row"][data-document-id="${id}"]`);
    await expect.poll(() => row.getByTestId("document-title").innerText()).toBe("Untitled document");

    await row.getByTestId("rename-document").click();
    await row.getByTestId("rename-input").fill("Quarterly plan");
    await row.getByTestId("rename-input").press("Enter");
    await expect.poll(() => row.getByTestId("document-title").innerText()).toBe("Quarterly plan");
    expect((await (await homeOwner.request(`/api/documents/${id}`)).json()).title).toBe("Quarterly plan");

    // No confirmation: the trash keeps it (tests/browser/trash.test.ts covers Undo and the trash page).
    await row.getByTestId("delete-document").click();
    await row.waitFor({ state: "detached" });
    expect(await page.getByTestId("trash-notice").innerText()).toContain("Moved to trash");
    expect((await homeOwner.request(`/api/documents/${id}`)).status).toBe(404);
    await context.close();
  });
});

describe.runIf(chromiumAvailable())("a writer whose server goes away", () => {
  it("sees Reconnecting, keeps typing and is told it is not saved yet, and everything is saved and shared once the server is back", async () => {
    const storage = await freshStorage("embedded");
    let server = await startServer(storage);
    const browser = await launchChromium();
    try {
      const owner = await signUp(server.url, "Ada");
      const editor = await signUp(server.url, "Brian");
      const { id, url: path } = await owner.createDocument("Resilient");
      await share(owner, id, editor.email, "editor");
      const pages = await Promise.all(
        [owner, editor].map(async (user) => {
          const context = await signedInContext(browser, server.url, user);
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
      await status(ada, "Reconnecting");
      await ada.keyboard.type("Typed while the server was down.");
      await status(ada, "Not saved yet: your changes are kept in this browser");

      server = await startServer(storage, { PORT: port });
      // The session cookies live in the database, so both writers are still signed in.
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

describe.runIf(chromiumAvailable())("sharing in Chromium", () => {
  it("an owner shares with a viewer who reads live but cannot type, then promotes them and their typing appears", async () => {
    const storage = await freshStorage("embedded");
    const server = await startServer(storage);
    const browser = await launchChromium();
    try {
      const signUpInBrowser = async (name: string, email: string) => {
        const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
        const page = await context.newPage();
        page.on("pageerror", (error) => console.error(`[${name}] page error:`, error));
        await page.goto(`${server.url}/sign-up`);
        await page.getByTestId("name-input").fill(name);
        await page.getByTestId("email-input").fill(email);
        await page.getByTestId("password-input").fill("a long enough password");
        await page.getByTestId("auth-submit").click();
        await page.getByTestId("new-document").waitFor({ timeout: 15_000 });
        return page;
      };
      const olivia = await signUpInBrowser("Olivia Owner", "olivia@example.com");
      const victor = await signUpInBrowser("Victor Viewer", "victor@example.com");

      await olivia.getByTestId("new-document").click();
      await olivia.waitForURL(/\/d\/[0-9a-f-]{36}$/);
      const documentUrl = olivia.url();
      const oliviaEditor = olivia.locator('[data-testid="editor"] .ProseMirror[contenteditable="true"]');
      await oliviaEditor.click();
      await olivia.keyboard.type("Owner's words. ");

      await olivia.getByTestId("share-button").click();
      const dialog = olivia.getByTestId("share-dialog");
      await dialog.getByTestId("share-email").fill("victor@example.com");
      await dialog.getByTestId("share-role").selectOption("viewer");
      await dialog.getByTestId("share-submit").click();
      const victorRow = dialog.locator('[data-testid="member-row"][data-email="victor@example.com"]');
      await victorRow.waitFor();
      await dialog.getByTestId("share-close").click();

      await victor.goto(documentUrl);
      const victorEditor = victor.locator('[data-testid="editor"] .ProseMirror');
      await expect.poll(() => victorEditor.innerText(), { timeout: 15_000 }).toContain("Owner's words.");
      await victor.getByTestId("read-only-notice").waitFor();
      expect(await victorEditor.getAttribute("contenteditable")).toBe("false");
      await oliviaEditor.click();
      await olivia.keyboard.press("End");
      await olivia.keyboard.type("Live for the viewer.");
      await expect.poll(() => victorEditor.innerText(), { timeout: 10_000 }).toContain("Live for the viewer.");
      await victorEditor.click({ force: true });
      await victor.keyboard.type("viewer keystrokes");
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await olivia.locator('[data-testid="editor"] .ProseMirror').innerText()).not.toContain("viewer keystrokes");

      await olivia.getByTestId("share-button").click();
      await victorRow.getByTestId("member-role").selectOption("editor");
      await expect.poll(() => victorRow.getAttribute("data-role")).toBe("editor");
      await dialog.getByTestId("share-close").click();
      await victor.getByTestId("read-only-notice").waitFor({ state: "detached", timeout: 10_000 });
      await victor.locator('[data-testid="editor"] .ProseMirror[contenteditable="true"]').click();
      await victor.keyboard.press("End");
      await victor.keyboard.type(" Victor, now an editor.");
      await expect
        .poll(() => olivia.locator('[data-testid="editor"] .ProseMirror').innerText(), { timeout: 10_000 })
        .toContain("Victor, now an editor.");
      await olivia.locator(".collaboration-carets__label", { hasText: "Victor Viewer" }).waitFor({ timeout: 10_000 });

      await mkdir(ARTIFACTS, { recursive: true });
      await olivia.screenshot({ path: path.join(ARTIFACTS, "sharing-owner.png") });
      await victor.screenshot({ path: path.join(ARTIFACTS, "sharing-promoted-viewer.png") });
    } finally {
      await browser.close();
      await server.stop();
      await storage.dispose();
    }
  });
});
