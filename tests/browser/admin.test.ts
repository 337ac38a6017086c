import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, share, signInAs, signUp } from "../support/accounts.ts";
import { chromiumAvailable, launchChromium, signedInContext } from "../support/browser.ts";
import { freshStorage, ROOT, type ServerProcess, type Storage, startServer } from "../support/server.ts";

const PHONE = { width: 360, height: 740 };
const AXE = readFileSync(path.join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

/**
 * Nothing of the page's own content reaches past the window's right edge. The header is left out:
 * its compact phone layout is another part of issue 13 (tests/browser for the header check it).
 */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflowing = await page.evaluate(() =>
    [...document.querySelectorAll("main *")]
      .filter((element) => !element.closest(".app-header") && element.getBoundingClientRect().right > window.innerWidth + 0.5)
      .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join(".")} ends at ${Math.round(element.getBoundingClientRect().right)} px`),
  );
  expect(overflowing, `${page.url()} has content wider than the window`).toEqual([]);
}

/** Serious and critical axe violations on the page as it is now, by rule and element. */
async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run();
    return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").flatMap((v) => v.nodes.map((node) => `${v.id}: ${node.target.join(" ")}`));
  });
  return violations;
}

describe.runIf(chromiumAvailable())("the admin screen and the profile, in a browser", () => {
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

  it("on a phone, the admin opens Admin from the header, disables a writer whose open document closes with the reason, and hands out a reset link", async () => {
    const admin = await signUp(server.url, "Ada Admin");
    const writer = await signUp(server.url, "Walter Writer");
    const document = await admin.createDocument("Team notes");
    await share(admin, document.id, writer.email, "editor");

    const writerContext = await signedInContext(browser, server.url, writer);
    const adminContext = await signedInContext(browser, server.url, admin, PHONE);
    try {
      const writerPage = await writerContext.newPage();
      await writerPage.goto(`${server.url}${document.url}`);
      await expect.poll(() => writerPage.getByTestId("save-status").innerText(), { timeout: 20_000 }).toMatch(/Saved/);

      const page = await adminContext.newPage();
      await page.goto(server.url);
      // The header may fold its links into a menu on a phone; the link is there either way.
      await page.goto(await page.getByTestId("admin-link").getAttribute("href").then((href) => `${server.url}${href}`));
      const row = page.locator(`[data-testid="admin-user"][data-email="${writer.email}"]`);
      await expect.poll(() => row.innerText()).toContain("last signed in");
      await expectNoSidewaysScroll(page);
      expect(await seriousAxeViolations(page)).toEqual([]);

      await row.getByTestId("admin-disable").click();
      await page.getByTestId("confirm-delete").click();
      await row.getByTestId("admin-user-disabled").waitFor();
      await expect
        .poll(() => writerPage.getByTestId("editor-error").innerText(), { timeout: 5_000 })
        .toBe("Your account has been disabled by an admin, so this document is closed. Ask an admin to enable it again.");
      expect((await signInAs(server.url, writer.email, PASSWORD)).status).toBe(403);

      await row.getByTestId("admin-enable").click();
      await row.getByTestId("admin-disable").waitFor();
      await row.getByTestId("admin-reset").click();
      const url = await page.getByTestId("admin-reset-url").innerText();
      expect(await page.getByTestId("admin-reset-link").innerText()).toContain("This server sends no email: pass it on yourself.");

      // The writer follows the link on their phone and sets a new password.
      const resetPage = await (await browser.newContext({ viewport: PHONE })).newPage();
      await resetPage.goto(url);
      await resetPage.getByTestId("reset-password").fill("walter's new password");
      await resetPage.getByTestId("reset-repeat").fill("walter's new password");
      await resetPage.getByTestId("reset-submit").click();
      await resetPage.getByTestId("reset-done").waitFor();
      await expectNoSidewaysScroll(resetPage);
      expect((await signInAs(server.url, writer.email, "walter's new password")).status).toBe(200);
      await resetPage.context().close();
    } finally {
      await writerContext.close();
      await adminContext.close();
    }
  });

  it("a non-admin sees no Admin link, and /admin tells them it is not for them", async () => {
    const someone = await signUp(server.url, "Nadia Nonadmin");
    const context = await signedInContext(browser, server.url, someone);
    try {
      const page = await context.newPage();
      await page.goto(server.url);
      await page.getByTestId("settings-link").waitFor({ state: "attached" });
      expect(await page.getByTestId("admin-link").count()).toBe(0);
      await page.goto(`${server.url}/admin`);
      expect(await page.getByTestId("admin-forbidden").innerText()).toContain("Only an admin of this Inkwell server can open this page.");
    } finally {
      await context.close();
    }
  });

  it("on a phone, Settings changes the name and colour (the header follows), lists this device, and signs out another", async () => {
    const user = await signUp(server.url, "Pat Profile");
    // A second session, elsewhere.
    expect((await signInAs(server.url, user.email, PASSWORD)).status).toBe(200);
    const context = await signedInContext(browser, server.url, user, PHONE);
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/settings`);
      await page.getByTestId("profile-name").fill("Pat Newname");
      await page.getByTestId("profile-name-save").click();
      await expect.poll(() => page.getByTestId("profile-outcome").innerText()).toContain("Name saved.");
      await expect.poll(() => page.getByTestId("current-user").innerText()).toContain("Pat Newname");

      await page.locator('[data-testid="profile-color"][data-color="#0f7a5f"]').click();
      await expect.poll(() => page.getByTestId("profile-outcome").innerText()).toContain("Colour saved.");
      expect(await page.locator('[data-testid="profile-color"][data-color="#0f7a5f"]').getAttribute("aria-checked")).toBe("true");
      expect(await (await user.request("/api/me")).json()).toMatchObject({ name: "Pat Newname", color: "#0f7a5f" });

      const rows = page.getByTestId("session-row");
      await expect.poll(() => rows.count()).toBe(2);
      expect(await page.locator('[data-testid="session-row"][data-current]').innerText()).toContain("this device");
      await page.getByTestId("session-revoke").click();
      await expect.poll(() => rows.count()).toBe(1);
      await expectNoSidewaysScroll(page);
      expect(await seriousAxeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
