import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asUser, share, signUp, type TestUser } from "../support/accounts.ts";
import { chromiumAvailable, launchChromium, signedInContext } from "../support/browser.ts";
import { connectClient, sendUnderClientId } from "../support/client.ts";
import { freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";
import { type Network, startNetwork } from "../support/websocket-network.ts";

const editorOf = (page: Page) => page.locator('[data-testid="editor"] .ProseMirror');
const statusOf = (page: Page) => page.getByTestId("save-status");
const unsavedIn = async (page: Page) => Number(await statusOf(page).getAttribute("data-unsaved"));

async function expectStatus(page: Page, label: RegExp, timeout = 20_000): Promise<void> {
  await expect.poll(() => statusOf(page).innerText(), { timeout }).toMatch(label);
}

async function openEditor(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error("page error:", error));
  // The editor logs what it could not do; failed WebSocket attempts are expected here.
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("WebSocket connection")) console.error("page console:", message.text());
  });
  await page.goto(url);
  await editorOf(page).waitFor();
  await expectStatus(page, /^Saved$/);
  return page;
}

/** Types at the end of the document. */
async function typeAtEnd(page: Page, text: string): Promise<void> {
  await editorOf(page).click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(text);
}

/** The document as the server has it, read by a separate Node client. */
async function serverText(serverUrl: string, user: TestUser, documentId: string): Promise<string> {
  const client = connectClient(serverUrl, documentId, await user.collabToken(documentId));
  try {
    const refusal = await Promise.race([client.synced().then(() => null), client.refused()]);
    if (refusal) throw new Error(`the server refused to show the document: ${refusal}`);
    return client.text();
  } finally {
    client.destroy();
  }
}

/** Records every connection notice and error the editor shows, however briefly. */
async function recordProblems(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { problemsSeen: string[] }).problemsSeen = seen;
    new MutationObserver(() => {
      for (const element of document.querySelectorAll('[data-testid="connection-notice"], .inkwell [role="alert"], .inkwell [role="alertdialog"]')) {
        if (!seen.includes(element.textContent ?? "")) seen.push(element.textContent ?? "");
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { problemsSeen: string[] }).problemsSeen);
}

/**
 * Resolves once IndexedDB has committed every change the page handed it. IndexedDB runs a read
 * only after the writes queued before it on the same store, so a read is a barrier. Playwright
 * types a character every few milliseconds and can close the tab in the next one, before the last
 * commits; a person's last keystroke is further from the close than that.
 */
async function storedInThisBrowser(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const request = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    for (const { name } of await indexedDB.databases()) {
      if (!name?.startsWith("inkwell:")) continue;
      const database = await request(indexedDB.open(name));
      // A read over both stores waits for every write this page started on them.
      const transaction = database.transaction(["updates", "custom"], "readonly");
      await request(transaction.objectStore("updates").count());
      await request(transaction.objectStore("custom").count());
      database.close();
    }
  });
}

const offlineDatabases = (page: Page) =>
  page.evaluate(async () => (await indexedDB.databases()).map((database) => database.name ?? "").filter((name) => name.startsWith("inkwell:")));

describe.runIf(chromiumAvailable())("editing offline in Chromium", () => {
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

  /** A writer with a document of their own open in Chromium, connected through a network of their own. */
  async function writerOnline(name: string, title: string) {
    const network = await startNetwork(server.url);
    const user = await signUp(server.url, name);
    const document = await user.createDocument(title);
    const context = await signedInContext(browser, network.url, user);
    const page = await openEditor(context, `${network.url}${document.url}`);
    return { user, id: document.id, url: `${network.url}${document.url}`, network, context, page };
  }

  it("a writer who goes offline keeps typing, sees what is unsaved, reloads without losing it, and it is saved once the connection is back", async () => {
    const { user, id, network, context, page } = await writerOnline("Ada", "Offline reload");
    try {
      await typeAtEnd(page, "Written online. ");
      await expectStatus(page, /^Saved$/);

      await context.setOffline(true);
      network.dropWebSockets();
      await page.keyboard.type("Written offline.");
      await expectStatus(page, /^Offline: your changes are kept in this browser$/);
      expect(await unsavedIn(page)).toBeGreaterThan(0);

      // The browser has its network back, the collaboration socket still cannot get through.
      await context.setOffline(false);
      await expectStatus(page, /^Not saved yet: your changes are kept in this browser$/);
      const unsavedBeforeReload = await unsavedIn(page);
      expect(await serverText(server.url, user, id)).not.toContain("Written offline.");

      await storedInThisBrowser(page);
      await page.reload();
      await expect.poll(() => editorOf(page).innerText(), { timeout: 15_000 }).toContain("Written online. Written offline.");
      await expectStatus(page, /^Not saved yet: your changes are kept in this browser$/);
      expect(await unsavedIn(page)).toBe(unsavedBeforeReload);
      expect(await editorOf(page).getAttribute("contenteditable")).toBe("true");
      await typeAtEnd(page, " And after the reload.");
      await expect.poll(() => unsavedIn(page)).toBeGreaterThan(unsavedBeforeReload);

      network.restore();
      await expectStatus(page, /^Saved$/, 30_000);
      expect(await serverText(server.url, user, id)).toContain("Written online. Written offline. And after the reload.");
    } finally {
      await context.close();
      await network.close();
    }
  });

  it("a tab closed while offline loses nothing: the next tab opened online saves what was typed", async () => {
    const { user, id, url, network, context, page } = await writerOnline("Brian", "Closed tab");
    try {
      await typeAtEnd(page, "Before closing. ");
      await expectStatus(page, /^Saved$/);

      await context.setOffline(true);
      network.dropWebSockets();
      await page.keyboard.type("Typed, then the tab was closed.");
      await expectStatus(page, /^Offline: your changes are kept in this browser$/);
      await storedInThisBrowser(page);
      await page.close();

      await context.setOffline(false);
      network.restore();
      expect(await serverText(server.url, user, id)).not.toContain("Typed, then the tab was closed.");
      const later = await openEditor(context, url);
      await expect.poll(() => serverText(server.url, user, id), { timeout: 15_000 }).toContain("Before closing. Typed, then the tab was closed.");
      await expectStatus(later, /^Saved$/);
    } finally {
      await context.close();
      await network.close();
    }
  });

  it("a document never opened in this browser is not editable offline; it waits, connecting", async () => {
    const { user, network, context, page } = await writerOnline("Carol", "Seen before");
    try {
      const unseen = await user.createDocument("Never opened here");
      network.dropWebSockets();
      await page.goto(`${network.url}${unseen.url}`);
      await editorOf(page).waitFor();
      // Long enough for several failed attempts.
      await page.waitForTimeout(3_000);
      expect(await statusOf(page).innerText()).toBe("Connecting...");
      expect(await editorOf(page).getAttribute("contenteditable")).toBe("false");
    } finally {
      await context.close();
      await network.close();
    }
  });

  it("a writer whose access is removed is told so, and this browser forgets its copy of the document", async () => {
    const owner = await signUp(server.url, "Olivia");
    const writer = await signUp(server.url, "Dan");
    const document = await owner.createDocument("Shared, then not");
    await share(owner, document.id, writer.email, "editor");
    const context = await signedInContext(browser, server.url, writer);
    try {
      const page = await openEditor(context, `${server.url}${document.url}`);
      await typeAtEnd(page, "Dan was here.");
      await expectStatus(page, /^Saved$/);
      expect(await offlineDatabases(page)).toHaveLength(1);

      const removed = await owner.request(`/api/documents/${document.id}/members/${writer.id}`, { method: "DELETE" });
      expect(removed.status).toBe(204);
      await expect.poll(() => page.getByTestId("editor-error").innerText()).toBe("Your access to this document was removed.");
      await expect.poll(() => offlineDatabases(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("a writer whose client id another editor claims while they type offline gets their work saved under a fresh one, and is told", async () => {
    const { user, id, url, network, context, page } = await writerOnline("Wanda", "Claimed id");
    const mallory = await signUp(server.url, "Mallory");
    await share(user, id, mallory.email, "editor");
    const hostile = connectClient(server.url, id, await asUser(server.url, mallory).collabToken(id));
    try {
      const problemsSeen = await recordProblems(page);
      await hostile.synced();
      // Wanda's client id, as every participant sees it in presence.
      let wandaClientId = 0;
      await expect
        .poll(() => {
          for (const [clientId, state] of hostile.provider.awareness!.getStates()) if (state.user?.name === "Wanda") wandaClientId = clientId;
          return wandaClientId;
        })
        .toBeGreaterThan(0);

      await context.setOffline(true);
      network.dropWebSockets();
      await typeAtEnd(page, "victim-offline-line");
      await expectStatus(page, /^Offline: your changes are kept in this browser$/);
      // Mallory writes under Wanda's id first, so it is hers now.
      sendUnderClientId(hostile, wandaClientId, "FORGED-BY-MALLORY");
      await hostile.saved();

      await context.setOffline(false);
      network.restore();
      await expectStatus(page, /^Saved$/, 30_000);
      const saved = await serverText(server.url, user, id);
      expect(saved.match(/victim-offline-line/g)).toHaveLength(1);
      expect(saved).toContain("FORGED-BY-MALLORY");
      await expect.poll(() => editorOf(page).innerText()).toContain("victim-offline-line");
      expect((await problemsSeen()).join(" ")).toContain("Another participant's editor wrote under your editor's identity");

      // The offline copy was replaced too: a reload sends nothing the server would refuse again.
      await storedInThisBrowser(page);
      await page.reload();
      await editorOf(page).waitFor();
      await expectStatus(page, /^Saved$/);
      await typeAtEnd(page, " after the reload");
      await expectStatus(page, /^Saved$/);
      expect((await serverText(server.url, user, id)).match(/victim-offline-line/g)).toHaveLength(1);
      expect(await serverText(server.url, user, id)).toContain("after the reload");
    } finally {
      hostile.destroy();
      await context.close();
      await network.close();
    }
  });

  it("a connection that goes silent is replaced within 30 seconds and what was typed into it is saved, while an idle one is left open", async () => {
    const silent = await writerOnline("Erin", "Silent");
    const idle = await writerOnline("Frank", "Idle");
    try {
      await typeAtEnd(silent.page, "Before the silence. ");
      await expectStatus(silent.page, /^Saved$/);

      const silencedAt = Date.now();
      silent.network.silenceWebSockets();
      await silent.page.keyboard.type("Typed into a silent connection.");
      await expect.poll(() => silent.network.webSocketsOpened.length, { timeout: 32_000, interval: 250 }).toBe(2);
      expect(silent.network.webSocketsOpened[1] - silencedAt).toBeLessThan(30_000);
      await expectStatus(silent.page, /^Saved$/);
      expect(await serverText(server.url, silent.user, silent.id)).toContain("Before the silence. Typed into a silent connection.");

      // Frank typed nothing all this while: the server's pings kept his socket from looking dead.
      expect(idle.network.webSocketsOpened).toHaveLength(1);
      await expectStatus(idle.page, /^Saved$/, 1_000);
    } finally {
      await silent.context.close();
      await idle.context.close();
      await silent.network.close();
      await idle.network.close();
    }
  });
});

describe.runIf(chromiumAvailable())("a writer whose server restarts", () => {
  it("sees Reconnecting, then Not saved yet, and no error or notice while the server restarts, and everything typed meanwhile is saved", async () => {
    const storage = await freshStorage("embedded");
    let server = await startServer(storage);
    const browser = await launchChromium();
    try {
      const user = await signUp(server.url, "Grace");
      const { id, url } = await user.createDocument("Restart");
      const context = await signedInContext(browser, server.url, user);
      const page = await openEditor(context, `${server.url}${url}`);
      const problemsSeen = await recordProblems(page);
      await typeAtEnd(page, "Before the restart. ");
      await expectStatus(page, /^Saved$/);

      const port = new URL(server.url).port;
      expect(await server.stop()).toBe(0);
      // Nothing is unsaved yet, so there is nothing to reassure about.
      await expectStatus(page, /^Reconnecting\.\.\.$/);
      await page.keyboard.type("Typed while it restarted.");
      await expectStatus(page, /^Not saved yet: your changes are kept in this browser$/);
      await expect.poll(() => unsavedIn(page)).toBeGreaterThan(0);

      server = await startServer(storage, { PORT: port });
      await expectStatus(page, /^Saved$/, 30_000);
      expect(await serverText(server.url, user, id)).toContain("Before the restart. Typed while it restarted.");
      expect(await problemsSeen()).toEqual([]);
    } finally {
      await browser.close();
      await server.stop();
      await storage.dispose();
    }
  });
});

describe.runIf(chromiumAvailable())("a server that refuses for a while", () => {
  let storage: Storage;
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    storage = await freshStorage("embedded");
    server = await startServer(storage, { MAX_MESSAGE_BYTES: "4096", MAX_CLIENTS_PER_DOCUMENT: "1" });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await storage?.dispose();
  });

  const notice = (page: Page) => page.locator('[data-testid="connection-notice"][role="status"]');

  it("a change too large for the server is explained; once it is removed and the page reloaded, the rest is saved", async () => {
    const user = await signUp(server.url, "Heidi");
    const { id, url } = await user.createDocument("Too large");
    const context = await signedInContext(browser, server.url, user);
    try {
      const page = await openEditor(context, `${server.url}${url}`);
      await typeAtEnd(page, "Kept. ");
      await expectStatus(page, /^Saved$/);
      // Apart from the paste, so that undo takes back the paste alone.
      await page.waitForTimeout(600);

      await page.keyboard.insertText("x".repeat(8_000));
      await expect.poll(() => notice(page).innerText()).toContain("A change is too large for the server to accept");
      await expectStatus(page, /^Not saved yet: your changes are kept in this browser$/);
      await page.keyboard.press("Control+z");
      await page.keyboard.type("Typed after the undo.");
      await storedInThisBrowser(page);
      await page.reload();

      await expectStatus(page, /^Saved$/);
      expect(await notice(page).count()).toBe(0);
      await page.close();
      // Polled: the server may not yet have seen the page leave, and lets one person in at a time.
      await expect.poll(() => serverText(server.url, user, id)).toContain("Kept. Typed after the undo.");
      expect(await serverText(server.url, user, id)).not.toContain("xxx");
    } finally {
      await context.close();
    }
  });

  it("a writer kept out of a full document sees why, and gets in without reloading once there is room", async () => {
    const owner = await signUp(server.url, "Ivan");
    const other = await signUp(server.url, "Judy");
    const { id, url } = await owner.createDocument("Full");
    await share(owner, id, other.email, "editor");
    const ownerContext = await signedInContext(browser, server.url, owner);
    const otherContext = await signedInContext(browser, server.url, other);
    try {
      const ownerPage = await openEditor(ownerContext, `${server.url}${url}`);
      await typeAtEnd(ownerPage, "The owner was first.");
      await expectStatus(ownerPage, /^Saved$/);

      const otherPage = await otherContext.newPage();
      await otherPage.goto(`${server.url}${url}`);
      await expect.poll(() => notice(otherPage).innerText(), { timeout: 15_000 }).toContain("as many people in it as the server allows");
      expect(await editorOf(otherPage).getAttribute("contenteditable")).toBe("false");

      await ownerPage.close();
      await expectStatus(otherPage, /^Saved$/, 40_000);
      expect(await editorOf(otherPage).innerText()).toContain("The owner was first.");
      expect(await notice(otherPage).count()).toBe(0);
    } finally {
      await ownerContext.close();
      await otherContext.close();
    }
  });
});
