import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asUser, signUp, type TestUser } from "../support/accounts.ts";
import { chromiumAvailable, launchChromium, signedInContext } from "../support/browser.ts";
import { connectClient, eventually } from "../support/client.ts";
import { freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

describe.runIf(chromiumAvailable())("the home page's search box", () => {
  let storage: Storage;
  let server: ServerProcess;
  let browser: Browser;
  let owner: TestUser;
  let documentId: string;

  beforeAll(async () => {
    storage = await freshStorage("embedded");
    server = await startServer(storage);
    browser = await launchChromium();
    owner = await signUp(server.url, "Ada");
    ({ id: documentId } = await owner.createDocument("Field notes"));
    const client = connectClient(server.url, documentId, () => asUser(server.url, owner).collabToken(documentId));
    await client.synced();
    client.type("The capybara colony grew. <img src=x onerror=alert(1)> was pasted here.");
    await client.saved();
    client.destroy();
    await eventually(async () => {
      const response = await owner.request("/api/search?q=capybara");
      return (await response.json()).results.length === 1;
    }, "the typed text is searchable", 20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await storage?.dispose();
  });

  it("shows matching documents as you type, highlights the words, and shows the text's markup as text", async () => {
    const context = await signedInContext(browser, server.url, owner);
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(server.url);
    const box = page.getByLabel("Search documents");
    await box.pressSequentially("capyb", { delay: 30 });
    const results = page.getByTestId("search-results");
    await results.waitFor({ timeout: 10_000 });
    expect(await results.getByRole("link").allTextContents()).toEqual(["Field notes"]);
    expect(await results.locator("mark").allTextContents()).toEqual(["capybara"]);
    expect(await results.locator(".search__snippet").textContent()).toContain("<img src=x onerror=alert(1)>");
    expect(await results.locator("img").count()).toBe(0);
    await expect.poll(() => page.getByTestId("search-status").textContent()).toBe("1 document matches");

    // Down from the box reaches the first result, a link.
    await box.press("ArrowDown");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Field notes");

    await box.fill("okapi");
    await page.getByTestId("search-none").waitFor({ timeout: 10_000 });
    expect(await page.getByTestId("search-none").textContent()).toBe("No documents match “okapi”.");

    await box.press("Escape");
    expect(await box.inputValue()).toBe("");
    await page.getByTestId("search-none").waitFor({ state: "detached" });
    expect(dialogs).toEqual([]);
    await context.close();
  });
});
