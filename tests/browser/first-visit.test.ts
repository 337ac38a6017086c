import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, signUp, type TestUser } from "../support/accounts.ts";
import { chromiumAvailable, launchChromium, signedInContext } from "../support/browser.ts";
import { freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

const EDITOR = '[data-testid="editor"] .ProseMirror';

describe.runIf(chromiumAvailable())("meeting Inkwell for the first time", () => {
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

  it("a fresh instance says it is new and offers its first visitor the admin account; later visitors see a plain sign-in", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);
    await expect.poll(() => page.getByTestId("auth-heading").innerText(), { timeout: 15_000 }).toBe("Welcome to your new Inkwell");
    expect(await page.getByTestId("auth-lead").innerText()).toContain("it becomes the admin");
    await page.getByTestId("name-input").fill("Ada Admin");
    await page.getByTestId("email-input").fill("ada@example.com");
    await page.getByTestId("password-input").fill(PASSWORD);
    await page.getByTestId("auth-submit").click();
    await page.getByTestId("new-document").waitFor({ timeout: 15_000 });
    const me = await page.evaluate(() => fetch("/api/me").then((response) => response.json()));
    expect(me).toMatchObject({ name: "Ada Admin", isAdmin: true });

    const stranger = await browser.newPage();
    await stranger.goto(`${server.url}/sign-in`);
    expect(await stranger.getByTestId("auth-heading").innerText()).toBe("Sign in to Inkwell");
    await stranger.close();
    await context.close();
  });

  it("a mistyped email on sign-up is explained in words, never with the validator's field names", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/sign-up`);
    await page.getByTestId("name-input").fill("Typo Tess");
    await page.getByTestId("password-input").fill(PASSWORD);
    // Caught before sending, and (two dots pass the page's loose check) by the server.
    for (const email of ["tess@example", "tess..typo@example.com"]) {
      await page.getByTestId("email-input").fill(email);
      await page.getByTestId("auth-submit").click();
      const error = page.getByTestId("auth-error");
      await expect.poll(() => error.innerText(), { timeout: 10_000 }).toContain("email address such as name@example.com");
      expect(await error.innerText()).not.toMatch(/\[|body\./);
      await page.getByTestId("email-input").fill("");
    }
    await page.close();
  });

  it("someone signed out who opens a share link sees what they were invited to, and lands in the document after creating an account", async () => {
    const owner = await signUp(server.url, "Owen Owner");
    const document = await owner.createDocument("Quarterly plan");
    const link = await (await owner.request(`/api/documents/${document.id}/links`, { method: "POST", body: JSON.stringify({ role: "viewer" }) })).json();

    const page = await browser.newPage();
    await page.goto(`${server.url}${link.url}`);
    await expect.poll(() => page.getByTestId("auth-heading").innerText(), { timeout: 15_000 }).toBe("Sign in or create an account to open “Quarterly plan”");
    await page.getByTestId("sign-up-link").click();
    await expect.poll(() => page.getByTestId("auth-heading").innerText()).toBe("Create an account to open “Quarterly plan”");
    await page.getByTestId("name-input").fill("Nina Newcomer");
    await page.getByTestId("email-input").fill("nina@example.com");
    await page.getByTestId("password-input").fill(PASSWORD);
    await page.getByTestId("auth-submit").click();
    await page.waitForURL(`${server.url}/d/${document.id}`, { timeout: 15_000 });
    await page.locator(EDITOR).waitFor();

    // A link that was never issued tells nothing about any document.
    const unknown = await browser.newPage();
    await unknown.goto(`${server.url}/join/not-a-real-token`);
    expect(await unknown.getByTestId("auth-heading").innerText()).toBe("Sign in to Inkwell");
    await unknown.close();
    await page.close();
  });

  it("an owner sees who came in through which link, and removes one of them without revoking the link for the others", async () => {
    const owner = await signUp(server.url, "Lena Linker");
    const document = await owner.createDocument("Open notes");
    const link = await (await owner.request(`/api/documents/${document.id}/links`, { method: "POST", body: JSON.stringify({ role: "viewer" }) })).json();
    const joiners: TestUser[] = [await signUp(server.url, "Jo Joiner"), await signUp(server.url, "Kim Keeper")];
    const pages = [];
    for (const joiner of joiners) {
      const context = await signedInContext(browser, server.url, joiner);
      const page = await context.newPage();
      await page.goto(`${server.url}${link.url}`);
      await page.waitForURL(`${server.url}/d/${document.id}`, { timeout: 15_000 });
      await page.getByTestId("read-only-notice").or(page.getByText("View only")).first().waitFor({ timeout: 15_000 });
      pages.push(page);
    }

    const ownerPage = await (await signedInContext(browser, server.url, owner)).newPage();
    await ownerPage.goto(`${server.url}/d/${document.id}`);
    await ownerPage.getByTestId("share-button").click();
    const dialog = ownerPage.getByTestId("share-dialog");
    const linkEnd = link.url.slice(-4);
    for (const joiner of joiners) {
      const row = dialog.locator(`[data-testid="member-row"][data-email="${joiner.email}"]`);
      expect(await row.getByTestId("member-joined-through").innerText()).toBe(`joined through the viewer link …${linkEnd}`);
    }
    expect(await dialog.getByTestId("link-joined").innerText()).toBe("2 people joined");

    await dialog.locator(`[data-testid="member-row"][data-email="${joiners[0].email}"]`).getByTestId("member-remove").click();
    await expect.poll(() => dialog.getByTestId("link-joined").innerText(), { timeout: 10_000 }).toBe("1 person joined");
    // Jo's open editor is told at once; Kim, through the same link, reads on.
    await pages[0].getByTestId("editor-error").waitFor({ timeout: 10_000 });
    expect(await pages[1].getByTestId("editor-error").count()).toBe(0);
    const sharing = await (await owner.request(`/api/documents/${document.id}/sharing`)).json();
    expect(sharing.members.map((member: { email: string }) => member.email).sort()).toEqual([owner.email, joiners[1].email].sort());
    // Jo's copy of the link no longer lets them in.
    expect((await joiners[0].request(`/api/join/${link.url.split("/").at(-1)}`, { method: "POST" })).status).toBe(403);
  });
});
