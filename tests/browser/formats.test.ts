import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "../support/accounts.ts";
import { chromiumAvailable, launchChromium, signedInContext } from "../support/browser.ts";
import { freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

describe.runIf(chromiumAvailable())("import and download in the browser", () => {
  let storage: Storage;
  let server: ServerProcess;
  let browser: Browser;
  let files: string;

  beforeAll(async () => {
    storage = await freshStorage("embedded");
    server = await startServer(storage);
    browser = await launchChromium();
    files = await mkdtemp(path.join(tmpdir(), "inkwell-files-"));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await storage?.dispose();
    await rm(files, { recursive: true, force: true });
  });

  it("a Markdown file chosen with Import opens as a new document, downloads as Markdown, and a file replaces its content after a confirmation", async () => {
    const ada = await signUp(server.url, "Ada");
    const context = await signedInContext(browser, server.url, ada, { width: 1280, height: 800 });
    const page = await context.newPage();
    page.on("pageerror", (error) => console.error("page error:", error));
    await page.goto(server.url);
    const notes = path.join(files, "notes.md");
    await writeFile(notes, "# Meeting notes\n\n- [ ] Send the agenda\n\nWe agreed on **Tuesday**.\n");
    await page.getByTestId("import-file").setInputFiles(notes);
    await page.waitForURL(/\/d\/[0-9a-f-]{36}$/, { timeout: 20_000 });
    const editor = page.locator('[data-testid="editor"] .ProseMirror');
    await expect.poll(() => editor.innerText(), { timeout: 15_000 }).toContain("We agreed on Tuesday.");
    expect(await editor.locator("h1").innerText()).toBe("Meeting notes");
    expect(await editor.locator("strong").innerText()).toBe("Tuesday");

    await page.locator('[data-testid="download-menu"] summary').click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-markdown").click()]);
    expect(download.suggestedFilename()).toBe("Meeting notes.md");
    const markdown = await readFile((await download.path())!, "utf8");
    expect(markdown).toContain("# Meeting notes");
    expect(markdown).toContain("- [ ] Send the agenda");

    const replacement = path.join(files, "replacement.txt");
    await writeFile(replacement, "Entirely new text.");
    await page.getByTestId("replace-file").setInputFiles(replacement);
    await page.getByTestId("confirm-dialog").waitFor();
    await page.getByTestId("confirm-delete").click();
    await expect.poll(() => editor.innerText(), { timeout: 15_000 }).toBe("Entirely new text.");
    await page.getByTestId("replace-status").filter({ hasText: "Imported replacement.txt." }).waitFor();
    await context.close();
  });

  it("a file the server cannot read is refused with a sentence, and nothing is created", async () => {
    const bea = await signUp(server.url, "Bea");
    const context = await signedInContext(browser, server.url, bea);
    const page = await context.newPage();
    await page.goto(server.url);
    const scan = path.join(files, "scan.pdf");
    await writeFile(scan, "%PDF-1.4 not something Inkwell reads");
    await page.getByTestId("import-file").setInputFiles(scan);
    await expect.poll(() => page.locator(".import-document__error").innerText(), { timeout: 10_000 }).toMatch(/Could not import scan\.pdf: .{20,}/);
    expect(page.url()).toBe(`${server.url}/`);
    expect((await (await bea.request("/api/documents")).json()).documents).toHaveLength(0);
    await context.close();
  });
});
