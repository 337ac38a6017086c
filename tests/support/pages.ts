import { createRequire } from "node:module";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { type TestUser, share, signUp } from "./accounts.ts";
import type { ServerProcess } from "./server.ts";

/** The people and things the pages below show: a document with content, shared with a viewer, a link and an invitation. */
export interface PageFixture {
  server: ServerProcess;
  owner: TestUser;
  viewer: TestUser;
  /** Signed in, and on no document yet: the one who opens links and invitations. */
  guest: TestUser;
  documentId: string;
  joinPath: string;
  invitePath: string;
}

export interface AppPage {
  name: string;
  /** Who is signed in; null for nobody. */
  as: "owner" | "viewer" | "guest" | null;
  path(fixture: PageFixture): string;
  /** Resolves once the page shows what it is for. */
  ready(page: Page): Promise<void>;
  /** Opens what this entry is about on top of the page (a dialog, a panel), after ready. */
  open?(page: Page, fixture: PageFixture): Promise<void>;
  /** Whether the signed-in header (with its menu) is on the page and not covered. */
  header: boolean;
}

const editorReady = async (page: Page) => {
  await page.locator('[data-testid="editor"] .ProseMirror').getByText("Book trains", { exact: true }).waitFor({ timeout: 20_000 });
  await page.locator('[data-testid="presence"] [data-testid="avatar"]').first().waitFor({ timeout: 20_000 });
};

/**
 * Every page a person meets, for the phone, theme and accessibility tests. New pages go here, once,
 * and every one of those tests covers them.
 */
export const PAGES: AppPage[] = [
  { name: "sign-in", as: null, header: false, path: () => "/sign-in", ready: (page) => page.getByTestId("auth-submit").waitFor() },
  { name: "sign-up", as: null, header: false, path: () => "/sign-up", ready: (page) => page.getByTestId("auth-submit").waitFor() },
  { name: "home", as: "owner", header: true, path: () => "/", ready: (page) => page.getByTestId("document-row").first().waitFor() },
  { name: "settings", as: "owner", header: true, path: () => "/settings", ready: (page) => page.getByTestId("token-row").first().waitFor() },
  { name: "document", as: "owner", header: true, path: (f) => `/d/${f.documentId}`, ready: editorReady },
  {
    name: "document-share",
    as: "owner",
    header: false,
    path: (f) => `/d/${f.documentId}`,
    ready: editorReady,
    open: async (page) => {
      await page.getByTestId("share-button").click();
      await page.getByTestId("invitation-row").first().waitFor();
      await page.getByTestId("link-row").first().waitFor();
    },
  },
  {
    name: "document-history",
    as: "owner",
    header: false,
    path: (f) => `/d/${f.documentId}`,
    ready: editorReady,
    open: async (page) => {
      await page.getByTestId("history-button").click();
      await page.getByTestId("history-panel").waitFor();
      await page.locator(".history-version, .history-panel__message").first().waitFor({ timeout: 15_000 });
    },
  },
  {
    // A version against the one before, so the diff's colours are on screen: an edit, named, then opened.
    name: "document-version",
    as: "owner",
    header: false,
    path: (f) => `/d/${f.documentId}`,
    ready: editorReady,
    open: async (page, fixture) => {
      await page.locator('[data-testid="editor"] .ProseMirror').getByText("A link to", { exact: false }).click();
      await page.keyboard.press("End");
      const added = ` Bring a coat ${Date.now()}.`;
      await page.keyboard.type(added);
      // The version is taken on the server: the edit must be there first.
      const stored = async () => (await page.request.get(`${fixture.server.url}/api/documents/${fixture.documentId}/content?format=text`)).text();
      await expect.poll(stored, { timeout: 15_000 }).toContain(added.trim());
      await page.getByTestId("history-button").click();
      await page.getByTestId("name-version").click();
      await page.getByTestId("version-name-input").fill(`Packed ${Date.now()}`);
      await page.getByTestId("save-version-name").click();
      await page.getByTestId("name-version-form").waitFor({ state: "detached" });
      await page.getByTestId("version-item").first().click();
      // Against the oldest (the import): versions kept automatically meanwhile may already hold the edit.
      const compare = page.getByTestId("compare-with");
      const options = await compare.locator("option").evaluateAll((all) => all.map((option) => (option as HTMLOptionElement).value));
      await compare.selectOption(options[options.length - 2]);
      await page.getByTestId("version-view").locator(".diff-mark--inserted").first().waitFor({ timeout: 15_000 });
    },
  },
  {
    name: "document-viewer",
    as: "viewer",
    header: true,
    path: (f) => `/d/${f.documentId}`,
    ready: async (page) => {
      await editorReady(page);
      await page.getByTestId("read-only-notice").waitFor();
    },
  },
  {
    // A link joins at once and opens the document.
    name: "join",
    as: "guest",
    header: true,
    path: (f) => f.joinPath,
    ready: async (page) => {
      await page.waitForURL(/\/d\/[0-9a-f-]{36}$/, { timeout: 20_000 });
      await editorReady(page);
    },
  },
  {
    // Signed out, from a share link: the sign-in page names the document it leads to.
    name: "sign-in-from-link",
    as: null,
    header: false,
    path: (f) => `/sign-in?next=${encodeURIComponent(f.joinPath)}`,
    ready: (page) => page.getByTestId("auth-lead").waitFor(),
  },
  { name: "admin", as: "owner", header: true, path: () => "/admin", ready: (page) => page.getByTestId("admin-user").first().waitFor() },
  { name: "forgot-password", as: null, header: false, path: () => "/forgot-password", ready: (page) => page.getByTestId("back-to-sign-in").waitFor() },
  { name: "reset-password", as: null, header: false, path: () => "/reset-password?token=not-a-real-token", ready: (page) => page.locator("main h1").first().waitFor() },
  { name: "trash", as: "owner", header: true, path: () => "/trash", ready: (page) => page.getByTestId("trash-row").first().waitFor() },
  { name: "join-bad-link", as: "guest", header: true, path: () => "/join/not-a-real-link", ready: (page) => page.getByTestId("join-error").waitFor() },
  { name: "invite", as: "guest", header: true, path: (f) => f.invitePath, ready: (page) => page.locator("main h1").first().waitFor() },
  {
    name: "document-missing",
    as: "owner",
    header: true,
    path: () => "/d/00000000-0000-4000-8000-000000000000",
    ready: (page) => page.getByTestId("not-found").waitFor(),
  },
];

const MARKDOWN = [
  "# Trip plan",
  "",
  "- [x] Book trains",
  "- [ ] Pack a very-long-word-that-does-not-fit-on-a-phone-screen-at-all-without-wrapping",
  "",
  "> Travel light, and see **you** there with `inline code`.",
  "",
  "```",
  "const itinerary = ['Paris', 'Lyon', 'Marseille', 'Nice', 'Genoa', 'Milan', 'Venice', 'Trieste']",
  "```",
  "",
  "A [link to the timetable](https://example.com/timetable).",
  "",
].join("\n");

export async function preparePages(server: ServerProcess): Promise<PageFixture> {
  const owner = await signUp(server.url, "Ada Lovelace-Byron");
  const viewer = await signUp(server.url, "Grace Hopper");
  const guest = await signUp(server.url, "Katherine Johnson");

  const form = new FormData();
  form.append("file", new Blob([MARKDOWN], { type: "text/markdown" }), "trip.md");
  const imported = await fetch(`${server.url}/api/documents`, { method: "POST", body: form, headers: { origin: server.url, cookie: owner.cookie } });
  if (imported.status !== 201) throw new Error(`import failed: ${imported.status} ${await imported.text()}`);
  const documentId = ((await imported.json()) as { id: string }).id;
  await owner.createDocument("Budget for the second half of the year, with a title long enough to wrap");
  const discarded = await owner.createDocument("Old draft, moved to the trash, with a title long enough to wrap on a phone");
  const trashed = await owner.request(`/api/documents/${discarded.id}`, { method: "DELETE" });
  if (!trashed.ok) throw new Error(`moving to the trash failed: ${trashed.status} ${await trashed.text()}`);

  await share(owner, documentId, viewer.email, "viewer");
  const invited = await owner.request(`/api/documents/${documentId}/members`, {
    method: "POST",
    body: JSON.stringify({ email: "someone-without-an-account-yet@example.com", role: "editor" }),
  });
  if (invited.status !== 201) throw new Error(`invitation failed: ${invited.status} ${await invited.text()}`);
  const invitePath = new URL(((await invited.json()) as { invitation: { url: string } }).invitation.url, server.url).pathname;
  const link = await owner.request(`/api/documents/${documentId}/links`, { method: "POST", body: JSON.stringify({ role: "viewer" }) });
  if (!link.ok) throw new Error(`share link failed: ${link.status} ${await link.text()}`);
  const joinPath = new URL(((await link.json()) as { url: string }).url, server.url).pathname;
  await owner.apiToken("Backup script");

  return { server, owner, viewer, guest, documentId, joinPath, invitePath };
}

export interface ContextOptions {
  viewport?: { width: number; height: number };
  colorScheme?: "light" | "dark";
}

/** A browser context for who the page wants, with axe-core loaded into every page it opens. */
export async function contextFor(browser: Browser, fixture: PageFixture, as: AppPage["as"], options: ContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1000, height: 760 }, colorScheme: options.colorScheme ?? "light" });
  // An init script runs outside the page's Content-Security-Policy, which refuses injected <script>s.
  await context.addInitScript({ path: AXE });
  const user = as ? fixture[as] : null;
  if (user) {
    await context.addCookies(
      user.cookie.split("; ").map((pair) => {
        const [name, ...value] = pair.split("=");
        return { name, value: value.join("="), url: fixture.server.url };
      }),
    );
  }
  return context;
}

/** Opens the entry's page and whatever it opens on top, ready to be looked at. */
export async function show(page: Page, fixture: PageFixture, entry: AppPage): Promise<void> {
  await page.goto(`${fixture.server.url}${entry.path(fixture)}`);
  await entry.ready(page);
  await entry.open?.(page, fixture);
}

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** axe-core's serious and critical violations on the page, one line each with where they are. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Transitions (a dialog fading in, hover colours) must be over, or axe measures colours half-way.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations;
  });
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => `${node.target.join(" ")}${node.failureSummary ? ` [${node.failureSummary.replace(/\s+/g, " ")}]` : ""}`).join("; ")}`);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}
