import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { share, signUp, type TestUser } from "../support/accounts.ts";
import { chromiumAvailable, launchChromium, signedInContext } from "../support/browser.ts";
import { connectClient } from "../support/client.ts";
import { freshStorage, ROOT, type ServerProcess, type Storage, startServer } from "../support/server.ts";
import { startNetwork } from "../support/websocket-network.ts";

const ARTIFACTS = path.join(ROOT, "test-results");
const NOT_SAVED_YET = "Not saved yet: your changes are kept in this browser";

const editorOf = (page: Page) => page.locator('[data-testid="editor"] .ProseMirror');
const statusOf = (page: Page) => page.getByTestId("save-status");
const bannerOf = (page: Page) => page.getByTestId("outage-banner");

async function expectStatus(page: Page, label: string | RegExp, timeout = 20_000): Promise<void> {
  await expect.poll(() => statusOf(page).innerText(), { timeout, interval: 100 }).toMatch(label);
}

async function openEditor(context: BrowserContext, url: string, { writer = true } = {}): Promise<Page> {
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error("page error:", error));
  await page.goto(url);
  await editorOf(page).waitFor();
  if (writer) await expectStatus(page, /^Saved$/);
  return page;
}

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

/** Whether the element is wholly inside the window as it is scrolled now. */
async function inView(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((selector) => {
    const box = document.querySelector(selector)?.getBoundingClientRect();
    return !!box && box.height > 0 && box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth;
  }, selector);
}

/** Records when the page opened each WebSocket, refused or not. */
async function recordSocketAttempts(context: BrowserContext): Promise<(page: Page) => Promise<number[]>> {
  await context.addInitScript(() => {
    const attempts: number[] = [];
    (window as unknown as { socketAttempts: number[] }).socketAttempts = attempts;
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        attempts.push(Date.now());
      }
    };
  });
  return (page) => page.evaluate(() => (window as unknown as { socketAttempts: number[] }).socketAttempts.slice());
}

describe.runIf(chromiumAvailable())("outages, explained", () => {
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

  it("a writer whose connection drops is told, in words, that their changes are kept; after a while a banner in view says nothing is lost, and Retry now reconnects at once", async () => {
    const network = await startNetwork(server.url);
    const user = await signUp(server.url, "Ada");
    const { id, url } = await user.createDocument("Outage");
    const context = await signedInContext(browser, network.url, user);
    const socketAttempts = await recordSocketAttempts(context);
    try {
      const page = await openEditor(context, `${network.url}${url}`);
      await typeAtEnd(page, "Before the outage. ");
      await expectStatus(page, /^Saved$/);

      const droppedAt = Date.now();
      network.dropWebSockets();
      await page.keyboard.type("Typed during the outage.");
      await expectStatus(page, NOT_SAVED_YET);
      expect(await statusOf(page).innerText()).not.toMatch(/\d/);
      expect(Number(await statusOf(page).getAttribute("data-unsaved"))).toBeGreaterThan(0);
      // Scrolled away from the top, where the status is: the banner must reach the writer anyway.
      await page.mouse.wheel(0, 2_000);

      await bannerOf(page).waitFor({ timeout: 20_000 });
      const shownAfter = Date.now() - droppedAt;
      expect(shownAfter).toBeGreaterThanOrEqual(10_000);
      expect(await bannerOf(page).innerText()).toContain("Nothing is lost");
      expect(await inView(page, '[data-testid="outage-banner"]')).toBe(true);
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, "outage-banner.png") });

      // Right after a refused attempt, the backoff waits at least a second before the next one; an
      // attempt sooner than that is the button's.
      const before = (await socketAttempts(page)).length;
      await expect.poll(async () => (await socketAttempts(page)).length, { timeout: 10_000, interval: 20 }).toBeGreaterThan(before);
      const lastRefused = (await socketAttempts(page)).at(-1)!;
      // Refused by now: the network refuses a WebSocket as soon as its first bytes arrive.
      await page.waitForTimeout(100);
      network.restore();
      await page.getByRole("button", { name: "Retry now" }).click();
      await expect.poll(() => network.webSocketsOpened.length, { timeout: 5_000, interval: 20 }).toBe(2);
      expect(network.webSocketsOpened[1] - lastRefused).toBeLessThan(900);

      await expectStatus(page, /^Saved$/, 5_000);
      await bannerOf(page).waitFor({ state: "detached" });
      expect(await serverText(server.url, user, id)).toContain("Before the outage. Typed during the outage.");
    } finally {
      await context.close();
      await network.close();
    }
  });

  it("a browser that goes offline is explained at once, on a phone too, and the browser's online event reconnects without waiting for the backoff", async () => {
    const network = await startNetwork(server.url);
    const user = await signUp(server.url, "Brian");
    const { id, url } = await user.createDocument("Offline");
    const context = await signedInContext(browser, network.url, user, { width: 360, height: 740 });
    try {
      const page = await openEditor(context, `${network.url}${url}`);
      await context.setOffline(true);
      network.dropWebSockets();
      await typeAtEnd(page, "Typed offline.");
      // The pill keeps to its headline beside the title on a phone; the banner says the rest.
      await expectStatus(page, /^Offline$/);
      expect(Number(await statusOf(page).getAttribute("data-unsaved"))).toBeGreaterThan(0);
      await bannerOf(page).waitFor({ timeout: 2_000 });
      expect(await bannerOf(page).innerText()).toContain("This browser is offline.");
      expect(await inView(page, '[data-testid="outage-banner"]')).toBe(true);
      expect((await page.getByRole("button", { name: "Retry now" }).boundingBox())!.height).toBeGreaterThanOrEqual(44);
      // Long enough for the backoff to reach its ceiling.
      await page.waitForTimeout(15_000);

      network.restore();
      const onlineAt = Date.now();
      await context.setOffline(false);
      await expectStatus(page, /^Saved$/, 5_000);
      expect(Date.now() - onlineAt).toBeLessThan(1_500);
      expect(await serverText(server.url, user, id)).toContain("Typed offline.");
    } finally {
      await context.close();
      await network.close();
    }
  });

  it("a reader scrolled to the bottom of a long document sees, in view, that their access was removed, and the text can no longer be read", async () => {
    const owner = await signUp(server.url, "Olivia");
    const reader = await signUp(server.url, "Rita");
    const { id, url } = await owner.createDocument("Long read");
    const markdown = Array.from({ length: 80 }, (_, n) => `Paragraph ${n + 1} of a long document, worth scrolling through.`).join("\n\n");
    const imported = await owner.request(`/api/documents/${id}/content`, { method: "PUT", headers: { "content-type": "text/markdown" }, body: markdown });
    expect(imported.status, await imported.clone().text()).toBe(200);
    await share(owner, id, reader.email, "viewer");
    const context = await signedInContext(browser, server.url, reader);
    try {
      const page = await openEditor(context, `${server.url}${url}`, { writer: false });
      await expect.poll(() => editorOf(page).innerText(), { timeout: 15_000 }).toContain("Paragraph 80 of a long document");
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(500);

      const removed = await owner.request(`/api/documents/${id}/members/${reader.id}`, { method: "DELETE" });
      expect(removed.status).toBe(204);

      const dialog = page.getByRole("alertdialog");
      await dialog.waitFor({ timeout: 10_000 });
      expect(await dialog.innerText()).toContain("Your access to this document was removed.");
      expect(await inView(page, '[role="alertdialog"]')).toBe(true);
      expect(await page.evaluate(() => !!document.activeElement?.closest('[role="alertdialog"]'))).toBe(true);
      // Hidden from screen readers and the keyboard, and blurred for the eye.
      expect(await page.getByRole("textbox", { name: "Document body" }).count()).toBe(0);
      expect(await page.evaluate(() => getComputedStyle(document.querySelector(".inkwell-body")!).filter)).toMatch(/blur\(\d+px\)/);
      expect(await page.evaluate(() => (document.querySelector(".inkwell-body") as HTMLElement).inert)).toBe(true);
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, "access-removed-overlay.png") });

      await dialog.getByRole("link", { name: "Back to all documents" }).click();
      await page.waitForURL(`${server.url}/`);
    } finally {
      await context.close();
    }
  });

  it("a viewer sees View only where the status is, and neither a toolbar nor a Saved pill; a writer has both", async () => {
    const owner = await signUp(server.url, "Victor");
    const viewer = await signUp(server.url, "Wendy");
    const { id, url } = await owner.createDocument("Read only");
    await share(owner, id, viewer.email, "viewer");
    const ownerContext = await signedInContext(browser, server.url, owner);
    const viewerContext = await signedInContext(browser, server.url, viewer);
    try {
      const ownerPage = await openEditor(ownerContext, `${server.url}${url}`);
      await typeAtEnd(ownerPage, "Only the owner writes here.");
      await expectStatus(ownerPage, /^Saved$/);
      expect(await ownerPage.getByRole("toolbar", { name: "Formatting" }).count()).toBe(1);

      const page = await openEditor(viewerContext, `${server.url}${url}`, { writer: false });
      await expect.poll(() => editorOf(page).innerText(), { timeout: 15_000 }).toContain("Only the owner writes here.");
      await expect.poll(() => page.getByTestId("read-only-notice").innerText()).toBe("View only");
      expect(await page.getByText("Saved", { exact: true }).count()).toBe(0);
      expect(await statusOf(page).count()).toBe(0);
      expect(await page.getByRole("toolbar").count()).toBe(0);
      expect(await page.locator(".inkwell-toolbar").count()).toBe(0);
      await page.screenshot({ path: path.join(ARTIFACTS, "view-only.png") });
    } finally {
      await ownerContext.close();
      await viewerContext.close();
    }
  });
});

describe.runIf(chromiumAvailable())("a writer whose server comes back after a long outage", () => {
  it("shows Saved within 3 s of the server returning after 40 s away, and what was typed meanwhile is stored", async () => {
    const storage = await freshStorage("embedded");
    let server = await startServer(storage);
    const browser = await launchChromium();
    try {
      const user = await signUp(server.url, "Grace");
      const { id, url } = await user.createDocument("Long outage");
      const context = await signedInContext(browser, server.url, user);
      const page = await openEditor(context, `${server.url}${url}`);
      await typeAtEnd(page, "Before the outage. ");
      await expectStatus(page, /^Saved$/);

      const port = new URL(server.url).port;
      expect(await server.stop()).toBe(0);
      await page.keyboard.type("Typed while the server was away.");
      await expectStatus(page, NOT_SAVED_YET);
      // Long enough for the old backoff (doubling from 1 s) to reach its 30 s ceiling.
      await page.waitForTimeout(40_000);
      await bannerOf(page).waitFor({ timeout: 1_000 });

      server = await startServer(storage, { PORT: port });
      const returnedAt = Date.now();
      await expectStatus(page, /^Saved$/, 10_000);
      expect(Date.now() - returnedAt).toBeLessThan(3_000);
      await bannerOf(page).waitFor({ state: "detached" });
      expect(await serverText(server.url, user, id)).toContain("Before the outage. Typed while the server was away.");
      await context.close();
    } finally {
      await browser.close();
      await server.stop();
      await storage.dispose();
    }
  }, 120_000);
});
