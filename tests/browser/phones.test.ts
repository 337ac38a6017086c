import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, launchChromium } from "../support/browser.ts";
import { type AppPage, contextFor, PAGES, type PageFixture, preparePages, show } from "../support/pages.ts";
import { freshStorage, ROOT, type ServerProcess, type Storage, startServer } from "../support/server.ts";

const PHONES = [
  { width: 360, height: 740 },
  { width: 390, height: 844 },
];

const SCREENSHOTS = path.join(ROOT, "test-results", "phones");

/** Controls a finger is meant to hit, wherever they are shown; text links inside prose are exempt. */
const TARGETS = "button, select, input:not([type='radio']):not([type='checkbox']), a.button, .app-nav__link, summary";

/** Every visible control below 44 px tall, described so a failure says which. */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate((selector) => {
    const small: string[] = [];
    for (const element of document.querySelectorAll<HTMLElement>(selector)) {
      if (element.closest(".inkwell-prose, .link-button")) continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(element).visibility === "hidden") continue;
      if (box.height < 44) {
        const name = element.getAttribute("aria-label") || element.textContent?.trim() || element.getAttribute("data-testid") || element.tagName;
        small.push(`${element.tagName.toLowerCase()}.${element.className} "${name.slice(0, 40)}" is ${Math.round(box.height)} px tall`);
      }
    }
    return small;
  }, TARGETS);
}

/** Elements that reach past the right edge of the screen, for the message when the page scrolls sideways. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("body *")]
      .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
      .slice(0, 8)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className} reaches ${Math.round(element.getBoundingClientRect().right)} px`),
  );
}

describe.runIf(chromiumAvailable())("Inkwell on a phone", () => {
  let storage: Storage;
  let server: ServerProcess;
  let browser: Browser;
  let fixture: PageFixture;

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

  describe.each(PHONES)("at $width×$height", (viewport) => {
    it.each(PAGES.map((entry) => [entry.name, entry] as [string, AppPage]))(
      "%s fits the screen, without scrolling sideways, with targets a finger can hit",
      async (name, entry) => {
        const context = await contextFor(browser, fixture, entry.as, { viewport });
        try {
          const page = await context.newPage();
          await show(page, fixture, entry);
          await page.screenshot({ path: path.join(SCREENSHOTS, `${viewport.width}x${viewport.height}-${name}.png`), fullPage: true });

          const widths = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
          expect(widths.scrollWidth, `${name} scrolls sideways: ${(await overflowing(page)).join(", ")}`).toBeLessThanOrEqual(widths.innerWidth);
          expect(await smallTargets(page), `targets under 44 px on ${name}`).toEqual([]);
        } finally {
          await context.close();
        }
      },
      60_000,
    );

    it.each(PAGES.filter((entry) => entry.header).map((entry) => [entry.name, entry] as [string, AppPage]))(
      "on %s the Menu button opens the navigation and Sign out, and Escape closes it",
      async (name, entry) => {
        const context = await contextFor(browser, fixture, entry.as, { viewport });
        try {
          const page = await context.newPage();
          await show(page, fixture, entry);
          const menu = page.getByTestId("header-menu-button");
          // Folded away until asked for: that is what keeps the header inside the screen.
          await expect.poll(() => page.getByTestId("sign-out").isVisible()).toBe(false);
          expect(await menu.getAttribute("aria-expanded")).toBe("false");

          await menu.click();
          expect(await menu.getAttribute("aria-expanded")).toBe("true");
          const signOut = page.getByTestId("sign-out");
          await signOut.waitFor();
          await page.screenshot({ path: path.join(SCREENSHOTS, `${viewport.width}x${viewport.height}-${name}-menu.png`) });
          const box = (await signOut.boundingBox())!;
          expect(box.x + box.width, "Sign out inside the screen").toBeLessThanOrEqual(viewport.width);
          expect(await page.getByTestId("current-user").innerText()).toBe(fixture[entry.as!].name);
          // Focus moves into the menu, so a keyboard or screen-reader user is where it opened.
          expect(await page.evaluate(() => document.activeElement?.closest("[data-testid='header-menu']") !== null)).toBe(true);

          await page.keyboard.press("Escape");
          await signOut.waitFor({ state: "hidden" });
          expect(await menu.getAttribute("aria-expanded")).toBe("false");
          expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("header-menu-button");
        } finally {
          await context.close();
        }
      },
      60_000,
    );

    it("the share dialog fits: the role select, its help text and Done are all on the screen", async () => {
      const entry = PAGES.find((candidate) => candidate.name === "document-share")!;
      const context = await contextFor(browser, fixture, entry.as, { viewport });
      try {
        const page = await context.newPage();
        await show(page, fixture, entry);
        const inside = async (testId: string) => {
          const box = (await page.getByTestId(testId).first().boundingBox())!;
          return box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height;
        };
        expect(await inside("share-role"), "the role select").toBe(true);
        expect(await inside("share-close"), "Done").toBe(true);
        const hint = page.getByTestId("share-dialog").locator(".share-form .field__hint");
        const hintBox = (await hint.boundingBox())!;
        expect(hintBox.x + hintBox.width, "the help text").toBeLessThanOrEqual(viewport.width);
        const dialogBox = (await page.getByTestId("share-dialog").boundingBox())!;
        expect(dialogBox.x + dialogBox.width).toBeLessThanOrEqual(viewport.width);
        await page.getByTestId("share-close").click();
        await page.getByTestId("share-dialog").waitFor({ state: "detached" });
      } finally {
        await context.close();
      }
    }, 60_000);
  });
});
