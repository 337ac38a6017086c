import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { share, signUp, type TestUser } from "../support/accounts.ts";
import { chromiumAvailable, launchChromium, signedInContext } from "../support/browser.ts";
import { freshStorage, ROOT, type ServerProcess, type Storage, startServer } from "../support/server.ts";

const ARTIFACTS = path.join(ROOT, "test-results");
const axeSource: string = createRequire(import.meta.url)("axe-core").source;

/** Serious and critical axe violations inside the page's main region (the header is not this feature's). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return (await axe.run({ include: [["main"]] })).violations;
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

describe.runIf(chromiumAvailable())("the trash and the home page's order, in a browser", () => {
  let storage: Storage;
  let server: ServerProcess;
  let browser: Browser;
  let owner: TestUser;
  let writer: TestUser;

  beforeAll(async () => {
    storage = await freshStorage("embedded");
    server = await startServer(storage);
    browser = await launchChromium();
    [owner, writer] = await Promise.all([signUp(server.url, "Ada Owner"), signUp(server.url, "Wes Writer")]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await storage?.dispose();
  });

  it("deleting from the home page moves to the trash with an Undo; the trash page restores and deletes forever", async () => {
    const { id } = await owner.createDocument("Quarterly plan");
    await share(owner, id, writer.email, "editor");
    const context = await signedInContext(browser, server.url, owner);
    const page = await context.newPage();
    const writerContext = await signedInContext(browser, server.url, writer);
    const writerPage = await writerContext.newPage();
    await writerPage.goto(`${server.url}/d/${id}`);
    await writerPage.locator('[data-testid="editor"] .ProseMirror').waitFor();

    await page.goto(server.url);
    const row = page.locator(`[data-testid="document-row"][data-document-id="${id}"]`);
    await row.getByTestId("delete-document").click();
    await row.waitFor({ state: "detached" });
    const notice = page.getByTestId("trash-notice");
    expect(await notice.innerText()).toContain("Moved to trash: “Quarterly plan”");
    // The writer, who had it open, is told at once.
    await writerPage.getByTestId("editor-error").filter({ hasText: "deleted" }).waitFor({ timeout: 5_000 });

    // Focus went to Undo with the row gone, so the keyboard undoes it at once.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("undo-trash");
    await page.keyboard.press("Enter");
    await notice.waitFor({ state: "detached" });
    await row.waitFor();
    expect((await owner.request(`/api/documents/${id}`)).status).toBe(200);
    await writerPage.reload();
    await writerPage.locator('[data-testid="editor"] .ProseMirror').waitFor();

    await row.getByTestId("delete-document").click();
    await row.waitFor({ state: "detached" });
    await page.getByTestId("trash-link").click();
    await page.waitForURL(`${server.url}/trash`);
    const trashed = page.locator(`[data-testid="trash-row"][data-document-id="${id}"]`);
    await trashed.waitFor();
    const meta = await trashed.innerText();
    expect(meta).toContain("Quarterly plan");
    expect(meta).toMatch(/Deleted just now by Ada Owner/);
    expect(meta).toMatch(/deleted forever in 30 days/);
    expect(await seriousViolations(page)).toEqual([]);

    await trashed.getByTestId("restore-document").click();
    await trashed.waitFor({ state: "detached" });
    expect(await page.getByTestId("trash-page-notice").innerText()).toContain("Restored “Quarterly plan”");
    await page.getByTestId("trash-empty").waitFor();
    await page.getByTestId("open-restored").click();
    await page.waitForURL(`${server.url}/d/${id}`);
    await page.locator('[data-testid="editor"] .ProseMirror').waitFor();

    expect((await owner.request(`/api/documents/${id}`, { method: "DELETE" })).status).toBe(200);
    await page.goto(`${server.url}/trash`);
    await trashed.getByTestId("delete-forever").click();
    await page.getByTestId("confirm-dialog").waitFor();
    expect(await page.getByTestId("confirm-dialog").innerText()).toContain("cannot be undone");
    await page.getByTestId("cancel-delete").click();
    expect(await trashed.count()).toBe(1);
    await trashed.getByTestId("delete-forever").click();
    await page.getByTestId("confirm-delete").click();
    await trashed.waitFor({ state: "detached" });
    expect(await page.getByTestId("trash-page-notice").innerText()).toContain("Deleted “Quarterly plan” forever");
    expect((await owner.request(`/api/documents/${id}/restore`, { method: "POST" })).status).toBe(404);
    await writerPage.reload();
    await writerPage.getByTestId("not-found").waitFor();
    await context.close();
    await writerContext.close();
  });

  it("sorts by title or by creation, keeps the order in the address across a reload, and filters to documents owned by me", async () => {
    const sorter = await signUp(server.url, "Sorter");
    const ids: string[] = [];
    for (const title of ["banana bread", "Apple pie", "cherry tart"]) ids.push((await sorter.createDocument(title)).id);
    // Edited last, so the default order (last edited) differs from the order of creation.
    await sorter.request(`/api/documents/${ids[0]}`, { method: "PATCH", body: JSON.stringify({ title: "banana bread" }) });
    const shared = await writer.createDocument("Date scones");
    await share(writer, shared.id, sorter.email, "viewer");
    const context = await signedInContext(browser, server.url, sorter);
    const page = await context.newPage();
    const titlesIn = (section: string) => page.getByTestId(section).getByTestId("document-title").allInnerTexts();
    await page.goto(server.url);
    await expect.poll(() => titlesIn("owned-documents")).toEqual(["banana bread", "cherry tart", "Apple pie"]);

    await page.getByTestId("sort-documents").selectOption("title");
    await page.waitForURL(/\?sort=title$/);
    await expect.poll(() => titlesIn("owned-documents")).toEqual(["Apple pie", "banana bread", "cherry tart"]);
    await page.reload();
    expect(await page.getByTestId("sort-documents").inputValue()).toBe("title");
    await expect.poll(() => titlesIn("owned-documents")).toEqual(["Apple pie", "banana bread", "cherry tart"]);

    await page.getByLabel("Sort by").selectOption("created");
    await page.waitForURL(/\?sort=created$/);
    await expect.poll(() => titlesIn("owned-documents")).toEqual(["cherry tart", "Apple pie", "banana bread"]);
    expect(await page.getByTestId("owned-documents").getByTestId("document-created").count()).toBe(3);

    expect(await titlesIn("shared-documents")).toEqual(["Date scones"]);
    await page.getByLabel("Owned by me").check();
    await page.waitForURL(/\?sort=created&owned=1$/);
    await page.getByTestId("shared-documents").waitFor({ state: "detached" });
    await page.reload();
    expect(await page.getByLabel("Owned by me").isChecked()).toBe(true);
    await expect.poll(() => titlesIn("owned-documents")).toEqual(["cherry tart", "Apple pie", "banana bread"]);
    expect(await page.getByTestId("shared-documents").count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel("Owned by me").uncheck();
    await page.waitForURL(/\?sort=created$/);
    await expect.poll(() => titlesIn("shared-documents")).toEqual(["Date scones"]);
    await context.close();
  });

  // The header (app/AppHeader.tsx) is made to fit by its own change; here, everything in <main>.
  it("the home page's controls and the trash fit a 360 px wide phone without sticking out sideways", async () => {
    const { id } = await owner.createDocument("A document with a long title that must not push the page wider than the phone");
    expect((await owner.request(`/api/documents/${id}`, { method: "DELETE" })).status).toBe(200);
    const context = await signedInContext(browser, server.url, owner, { width: 360, height: 740 });
    const page = await context.newPage();
    await mkdir(ARTIFACTS, { recursive: true });
    for (const [name, url, ready] of [
      ["home", server.url, "sort-documents"],
      ["trash", `${server.url}/trash`, "trash-row"],
    ] as const) {
      await page.goto(url);
      await page.getByTestId(ready).first().waitFor();
      const outside = await page.evaluate(() =>
        [...document.querySelectorAll("main, main *")]
          .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
          .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join(".")} ends at ${Math.round(element.getBoundingClientRect().right)}`),
      );
      await page.screenshot({ path: path.join(ARTIFACTS, `trash-${name}-360.png`), fullPage: true });
      expect(outside, `${name}: what sticks out of a 360 px screen`).toEqual([]);
    }
    const restore = page.getByTestId("restore-document").first();
    expect((await restore.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await context.close();
  });
});
