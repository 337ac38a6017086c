import { existsSync } from "node:fs";
import { type Browser, type BrowserContext, chromium } from "playwright-core";
import { afterAll, afterEach, expect } from "vitest";
import type { TestUser } from "./accounts.ts";

export const CHROMIUM = "/usr/bin/chromium";

/** Missing Chromium skips the browser tests on a developer's machine and fails them in CI. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === "true") throw new Error(`CI=true but ${CHROMIUM} is missing: apt-get install -y chromium`);
  console.warn(`Skipping browser tests: ${CHROMIUM} not found (apt-get install -y chromium).`);
  return false;
}

/**
 * Content-Security-Policy violations seen in any page since the last check. The server sends a strict
 * policy (server/http/security-headers.ts); a page it blocks may still look fine (a script that did
 * not run, a socket that never opened), so every test that imports this module fails on any.
 */
const cspViolations: string[] = [];

function expectNoCspViolations(): void {
  const seen = [...new Set(cspViolations.splice(0))];
  expect(seen, "Content-Security-Policy violations in the browser").toEqual([]);
}
afterEach(expectNoCspViolations);
// Reports can arrive after the test that caused them has ended.
afterAll(expectNoCspViolations);

/** Collects the context's CSP violations, both as DOM events and as Chromium's console messages. */
async function reportCspViolations(context: BrowserContext): Promise<void> {
  await context.exposeBinding("__inkwellCspViolation", ({ page }, report: string) => void cspViolations.push(`${page?.url()}: ${report}`));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __inkwellCspViolation?: (report: string) => void }).__inkwellCspViolation;
      report?.(`${event.effectiveDirective} refused ${event.blockedURI || "an inline script or style"} (${event.sourceFile}:${event.lineNumber} ${event.sample})`);
    });
  });
  context.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(`${message.page()?.url() ?? message.location().url}: ${message.text()}`);
  });
}

/** Debian's Chromium, headless, with a fresh profile and no calls to the outside network. */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
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
  // Every context reports its CSP violations, however a test makes it: signedInContext and
  // browser.newPage both go through browser.newContext.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await reportCspViolations(context);
    return context;
  };
  return browser;
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
