import { existsSync } from "node:fs";
import { type Browser, type BrowserContext, chromium } from "playwright-core";
import type { TestUser } from "./accounts.ts";

export const CHROMIUM = "/usr/bin/chromium";

/** Missing Chromium skips the browser tests on a developer's machine and fails them in CI. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === "true") throw new Error(`CI=true but ${CHROMIUM} is missing: apt-get install -y chromium`);
  console.warn(`Skipping browser tests: ${CHROMIUM} not found (apt-get install -y chromium).`);
  return false;
}

/** Debian's Chromium, headless, with a fresh profile and no calls to the outside network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A browser context signed in as the user: their real session cookie, set for the server's origin. */
export async function signedInContext(browser: Browser, baseUrl: string, user: TestUser, viewport = { width: 900, height: 700 }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  await context.addCookies(
    user.cookie.split("; ").map((pair) => {
      const [name, ...value] = pair.split("=");
      return { name, value: value.join("="), url: baseUrl };
    }),
  );
  return context;
}
