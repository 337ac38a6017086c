import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, signUp } from "../support/accounts.ts";
import { chromiumAvailable, launchChromium } from "../support/browser.ts";
import { freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

describe.runIf(chromiumAvailable())("signing in from a link someone sent", () => {
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

  it.each(["/.//evil.example/phish", "/%2e//evil.example/phish"])(
    "a sign-in link with next=%s lands on Inkwell's own documents, never on the other site",
    async (next) => {
      const user = await signUp(server.url, "Grace Hopper");
      const context = await browser.newContext();
      const phished: string[] = [];
      // The other site, played here (no network): it would show a look-alike sign-in form.
      await context.route("http://evil.example/**", (route) => {
        phished.push(route.request().url());
        return route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Inkwell (not really)</h1>" });
      });
      const page = await context.newPage();
      await page.goto(`${server.url}/sign-in?next=${encodeURIComponent(next)}`);
      await page.getByTestId("email-input").fill(user.email);
      await page.getByTestId("password-input").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByTestId("new-document").waitFor({ timeout: 15_000 });
      expect(new URL(page.url()).host).toBe(new URL(server.url).host);
      expect(phished).toEqual([]);
      await context.close();
    },
  );
});
