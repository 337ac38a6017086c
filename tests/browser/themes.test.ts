import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, launchChromium } from "../support/browser.ts";
import { type AppPage, contextFor, PAGES, type PageFixture, preparePages, seriousViolations, show } from "../support/pages.ts";
import { freshStorage, ROOT, type ServerProcess, type Storage, startServer } from "../support/server.ts";

const SCREENSHOTS = path.join(ROOT, "test-results", "themes");

/** Relative luminance (0 black … 1 white) of an element's computed background. */
function backgroundLuminance(page: Page, selector: string): Promise<number> {
  return page.evaluate((selector) => {
    const element = document.querySelector(selector);
    if (!element) throw new Error(`${selector} is not on the page`);
    // Any colour syntax the browser computes (rgb(), color(srgb …)) becomes sRGB bytes on a canvas.
    const canvas = document.createElement("canvas").getContext("2d")!;
    canvas.fillStyle = getComputedStyle(element).backgroundColor;
    canvas.fillRect(0, 0, 1, 1);
    const [r, g, b] = [...canvas.getImageData(0, 0, 1, 1).data].map((byte) => {
      const c = byte / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }, selector);
}

const DARK = 0.05;
const LIGHT = 0.8;

describe.runIf(chromiumAvailable())("light and dark", () => {
  let storage: Storage;
  let server: ServerProcess;
  let browser: Browser;
  let fixture: PageFixture;
  const documentPage = () => PAGES.find((entry) => entry.name === "document")!;
  const settingsPage = () => PAGES.find((entry) => entry.name === "settings")!;

  beforeAll(async () => {
    storage = await freshStorage("embedded");
    server = await startServer(storage);
    browser = await launchChromium();
    fixture = await preparePages(server);
    await mkdir(SCREENSHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await storage?.dispose();
  });

  it("under a dark system setting, the app and the document are dark, with dark form controls", async () => {
    const context = await contextFor(browser, fixture, "owner", { colorScheme: "dark" });
    try {
      const page = await context.newPage();
      await show(page, fixture, documentPage());
      expect(await backgroundLuminance(page, "body")).toBeLessThan(DARK);
      expect(await backgroundLuminance(page, ".inkwell-page")).toBeLessThan(DARK);
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toContain("dark");
      expect(await page.evaluate(() => document.querySelector('meta[name="theme-color"][media*="dark"]')?.getAttribute("content"))).toBe("#0d1117");
    } finally {
      await context.close();
    }
  });

  it("under a light system setting, they are light", async () => {
    const context = await contextFor(browser, fixture, "owner", { colorScheme: "light" });
    try {
      const page = await context.newPage();
      await show(page, fixture, documentPage());
      expect(await backgroundLuminance(page, "body")).toBeGreaterThan(LIGHT);
      expect(await backgroundLuminance(page, ".inkwell-page")).toBeGreaterThan(LIGHT);
    } finally {
      await context.close();
    }
  });

  it("Light in Settings wins over a dark system, at once and after a reload, in the document too; System follows the system again", async () => {
    const context = await contextFor(browser, fixture, "owner", { colorScheme: "dark" });
    try {
      const page = await context.newPage();
      await show(page, fixture, settingsPage());
      expect(await page.getByTestId("theme-system").isChecked()).toBe(true);
      expect(await backgroundLuminance(page, "body")).toBeLessThan(DARK);

      await page.getByTestId("theme-light").check();
      await expect.poll(() => backgroundLuminance(page, "body")).toBeGreaterThan(LIGHT);

      const cookie = (await context.cookies()).find((candidate) => candidate.name === "inkwell-theme");
      expect(cookie).toMatchObject({ value: "light", sameSite: "Lax", path: "/" });
      // Kept for a year, so the choice is still there next month.
      expect(cookie!.expires * 1000 - Date.now()).toBeGreaterThan(360 * 24 * 3600 * 1000);

      await page.reload();
      await settingsPage().ready(page);
      expect(await page.getByTestId("theme-light").isChecked()).toBe(true);
      expect(await backgroundLuminance(page, "body")).toBeGreaterThan(LIGHT);

      await show(page, fixture, documentPage());
      expect(await backgroundLuminance(page, ".inkwell-page")).toBeGreaterThan(LIGHT);
      expect(await page.locator(".inkwell").first().getAttribute("data-theme")).toBe("light");

      await show(page, fixture, settingsPage());
      await page.getByTestId("theme-system").check();
      await expect.poll(() => backgroundLuminance(page, "body")).toBeLessThan(DARK);
      expect((await context.cookies()).find((candidate) => candidate.name === "inkwell-theme")).toBeUndefined();
    } finally {
      await context.close();
    }
  });

  it("Dark in Settings works under a light system, and the first paint after a reload is already dark", async () => {
    const context = await contextFor(browser, fixture, "owner", { colorScheme: "light" });
    try {
      const page = await context.newPage();
      await show(page, fixture, settingsPage());
      await page.getByTestId("theme-dark").check();
      await expect.poll(() => backgroundLuminance(page, "body")).toBeLessThan(DARK);

      // The server writes the theme into the page it sends: no script has to fix it up after the first paint.
      const html = await (await page.request.get(`${server.url}/d/${fixture.documentId}`)).text();
      expect(html).toMatch(/<html[^>]*data-theme="dark"/);

      await show(page, fixture, documentPage());
      expect(await backgroundLuminance(page, "body")).toBeLessThan(DARK);
      expect(await backgroundLuminance(page, ".inkwell-page")).toBeLessThan(DARK);
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe("dark");
    } finally {
      await context.close();
    }
  });

  describe.each(["light", "dark"] as const)("axe-core in the %s theme", (colorScheme) => {
    it.each(PAGES.map((entry) => [entry.name, entry] as [string, AppPage]))(
      "%s has no serious or critical accessibility violations",
      async (_name, entry) => {
        const context = await contextFor(browser, fixture, entry.as, { colorScheme });
        try {
          const page = await context.newPage();
          await show(page, fixture, entry);
          await page.screenshot({ path: path.join(SCREENSHOTS, `${colorScheme}-${entry.name}.png`) });
          expect(await seriousViolations(page)).toEqual([]);
        } finally {
          await context.close();
        }
      },
    );

    it("a phone-sized page with its header menu open has none either", async () => {
      const context = await contextFor(browser, fixture, "owner", { colorScheme, viewport: { width: 360, height: 740 } });
      try {
        const page = await context.newPage();
        await show(page, fixture, documentPage());
        await page.getByTestId("header-menu-button").click();
        await page.getByTestId("sign-out").waitFor();
        expect(await seriousViolations(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  });
});
