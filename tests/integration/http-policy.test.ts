import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asUser, PASSWORD, signUp, type TestUser } from "../support/accounts.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

const EVIL = "http://evil.example";
const EMBEDDER = "http://embedder.example";

/** The security headers every response must carry, whatever answered it. */
function expectSecurityHeaders(response: Response, what: string): string {
  const csp = response.headers.get("content-security-policy") ?? "";
  expect(csp, `${what}: CSP`).toContain("frame-ancestors 'self'");
  expect(csp, `${what}: CSP`).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expect(csp.match(/script-src[^;]*/)![0], `${what}: inline scripts only with the nonce`).not.toContain("'unsafe-inline'");
  expect(response.headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(response.headers.get("referrer-policy"), what).toBe("strict-origin-when-cross-origin");
  expect(response.headers.get("x-frame-options"), what).toBe("SAMEORIGIN");
  expect(response.headers.get("x-powered-by"), what).toBeNull();
  return csp;
}

describe.each(backends())("requests that change something, on %s storage", (backend) => {
  let storage: Storage;
  let server: ServerProcess;
  let owner: TestUser;

  beforeAll(async () => {
    storage = await freshStorage(backend);
    server = await startServer(storage, { ALLOWED_ORIGINS: EMBEDDER });
    owner = await signUp(server.url, "Owner");
  });
  afterAll(async () => {
    await server?.stop();
    await storage?.dispose();
  });

  /** POST /api/documents signed in by the owner's cookie, with exactly these headers besides (no Origin unless given). */
  const createWith = (title: string, headers: Record<string, string>, body = JSON.stringify({ title })) =>
    fetch(`${server.url}/api/documents`, { method: "POST", headers: { cookie: owner.cookie, "content-type": "application/json", ...headers }, body });
  const titles = async (): Promise<string[]> =>
    (await (await owner.request("/api/documents")).json()).documents.map((document: { title: string }) => document.title);
  const marker = (what: string) => `${what} ${Math.random().toString(36).slice(2)}`;

  async function expectRefused(response: Response, status: number, code: string): Promise<void> {
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = await response.json();
    expect(body.code).toBe(code);
    expect(body.error).toEqual(expect.any(String));
  }

  it("a cookie-authenticated POST from a foreign Origin is refused with 403, creates nothing and is logged; from the app's own origin it creates the document", async () => {
    const forged = marker("forged");
    await expectRefused(await createWith(forged, { origin: EVIL }), 403, "foreign-origin");
    expect(await titles()).not.toContain(forged);
    const logged = server.logs.flatMap((line) => {
      try {
        return [JSON.parse(line)];
      } catch {
        return [];
      }
    });
    expect(logged).toContainEqual(expect.objectContaining({ level: 40, method: "POST", url: "/api/documents", origin: EVIL, code: "foreign-origin" }));

    const genuine = marker("genuine");
    expect((await createWith(genuine, { origin: server.url })).status).toBe(201);
    expect(await titles()).toContain(genuine);
  });

  it("without an Origin, the Referer's origin decides: a foreign page's is refused, one of the app's own pages is let through", async () => {
    const forged = marker("forged by referer");
    await expectRefused(await createWith(forged, { referer: `${EVIL}/innocent-looking-page.html` }), 403, "foreign-origin");
    expect(await titles()).not.toContain(forged);

    const genuine = marker("genuine by referer");
    expect((await createWith(genuine, { referer: `${server.url}/` })).status).toBe(201);
    expect(await titles()).toContain(genuine);
  });

  it("a cookie-authenticated request with neither Origin nor Referer is refused, since every browser sends one", async () => {
    const anonymous = marker("no origin");
    await expectRefused(await createWith(anonymous, {}), 403, "missing-origin");
    expect(await titles()).not.toContain(anonymous);
  });

  it("PATCH and DELETE from a foreign Origin change nothing either", async () => {
    const { id } = await owner.createDocument("Keep me");
    const asEvil = { origin: EVIL };
    await expectRefused(await owner.request(`/api/documents/${id}`, { method: "PATCH", headers: asEvil, body: JSON.stringify({ title: "Defaced" }) }), 403, "foreign-origin");
    await expectRefused(await owner.request(`/api/documents/${id}`, { method: "DELETE", headers: asEvil }), 403, "foreign-origin");
    expect((await (await owner.request(`/api/documents/${id}`)).json()).title).toBe("Keep me");
  });

  it("an origin listed in ALLOWED_ORIGINS is let through like the app's own; one not listed is not", async () => {
    const embedded = marker("from the embedding app");
    expect((await createWith(embedded, { origin: EMBEDDER })).status).toBe(201);
    const other = marker("from another app");
    await expectRefused(await createWith(other, { origin: "http://another-embedder.example" }), 403, "foreign-origin");
    expect(await titles()).toEqual(expect.arrayContaining([embedded]));
    expect(await titles()).not.toContain(other);
  });

  it("a request with a bearer token is let through whatever its Origin, while a cookie from the same Origin is refused", async () => {
    const token = await owner.apiToken("policy");
    const scripted = marker("scripted");
    const response = await fetch(`${server.url}/api/documents`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", origin: EVIL },
      body: JSON.stringify({ title: scripted }),
    });
    expect(response.status).toBe(201);
    expect(await titles()).toContain(scripted);
    await expectRefused(await createWith(marker("forged"), { origin: EVIL }), 403, "foreign-origin");
  });

  it("a body not declared as JSON answers 415 and changes nothing, even from the app's own pages; JSON with a charset and requests without a body pass", async () => {
    const own = { origin: server.url };
    const { id: renamed } = await owner.createDocument("Not renamed");
    const rename = (headers: Record<string, string>, title: string) =>
      fetch(`${server.url}/api/documents/${renamed}`, { method: "PATCH", headers: { cookie: owner.cookie, ...headers }, body: JSON.stringify({ title }) });
    // What a form on another site can send without a preflight: text/plain (fetch's default for a string) or urlencoded.
    for (const contentType of ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded"]) {
      await expectRefused(await rename({ ...own, "content-type": contentType }, marker(contentType)), 415, "unsupported-media-type");
    }
    // Creating a document takes files (an import), but never a form's urlencoded body.
    const form = marker("urlencoded");
    await expectRefused(await createWith(form, { ...own, "content-type": "application/x-www-form-urlencoded" }), 415, "unsupported-media-type");
    expect(await titles()).not.toContain(form);
    const token = await owner.apiToken("plain text");
    const scripted = await fetch(`${server.url}/api/documents/${renamed}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}`, "content-type": "text/plain" },
      body: JSON.stringify({ title: "scripted" }),
    });
    await expectRefused(scripted, 415, "unsupported-media-type");
    expect((await (await owner.request(`/api/documents/${renamed}`)).json()).title).toBe("Not renamed");

    expect((await createWith(marker("charset"), { ...own, "content-type": "application/json; charset=utf-8" })).status).toBe(201);
    const { id } = await owner.createDocument("Bodiless");
    const bodiless = await fetch(`${server.url}/api/documents/${id}/collab-token`, { method: "POST", headers: { ...own, cookie: owner.cookie } });
    expect(bodiless.status).toBe(200);
    expect((await fetch(`${server.url}/api/documents/${id}`, { method: "DELETE", headers: { ...own, cookie: owner.cookie } })).status).toBe(200);
  });

  it("Better Auth's endpoints are covered alike: signing out from a foreign Origin is refused by the same check, signing in from the app's own pages works", async () => {
    const signOut = await owner.request("/api/auth/sign-out", { method: "POST", headers: { origin: EVIL }, body: "{}" });
    await expectRefused(signOut, 403, "foreign-origin");
    expect((await owner.request("/api/me")).status).toBe(200);

    const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url, cookie: owner.cookie },
      body: JSON.stringify({ email: owner.email, password: PASSWORD }),
    });
    expect(signIn.status).toBe(200);
  });

  it("pages, the API, the not-found page and /healthz carry the security headers, and every script of a page carries that response's nonce", async () => {
    const cookie = { cookie: owner.cookie };
    const responses: [string, Response][] = [
      ["the home page", await fetch(`${server.url}/`, { headers: cookie })],
      ["the sign-in page", await fetch(`${server.url}/sign-in`)],
      ["an unknown address", await fetch(`${server.url}/no-such-page`)],
      ["GET /api/me", await fetch(`${server.url}/api/me`, { headers: cookie })],
      ["a refusal", await createWith("refused", { origin: EVIL })],
      ["/healthz", await fetch(`${server.url}/healthz`)],
    ];
    const host = new URL(server.url).host;
    const nonces = new Set<string>();
    for (const [what, response] of responses) {
      const csp = expectSecurityHeaders(response, what);
      expect(csp.match(/connect-src[^;]*/)![0], `${what}: the collaboration socket and ALLOWED_ORIGINS`).toBe(
        `connect-src 'self' ws://${host} wss://${host} ${EMBEDDER}`,
      );
      const nonce = csp.match(/'nonce-([^']+)'/)![1];
      nonces.add(nonce);
      if (!(response.headers.get("content-type") ?? "").startsWith("text/html")) continue;
      const scripts = (await response.text()).match(/<script[^>]*>/g) ?? [];
      expect(scripts.length, what).toBeGreaterThan(0);
      for (const script of scripts) expect(script, `${what}: ${script}`).toContain(`nonce="${nonce}"`);
    }
    expect(responses.map(([, response]) => response.status)).toEqual([200, 200, 404, 200, 403, 200]);
    expect(nonces.size, "a fresh nonce per response").toBe(responses.length);
  });
});

// APP_URL changes only how the app's own origin is found, not where documents are kept.
describe("requests that change something, with APP_URL set", () => {
  const APP_URL = "https://docs.example.test";
  let storage: Storage;
  let server: ServerProcess;
  let owner: TestUser;

  beforeAll(async () => {
    storage = await freshStorage("embedded");
    server = await startServer(storage, { APP_URL });
    // As the browser on APP_URL signs up; the tests reach the server at its real address.
    const email = `owner-${Math.random().toString(36).slice(2, 10)}@example.com`;
    const response = await fetch(`${server.url}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: APP_URL },
      body: JSON.stringify({ email, password: PASSWORD, name: "Owner" }),
    });
    expect(response.status).toBe(200);
    // Sign-up gives no session; signing in does.
    const signedIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: APP_URL },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers.getSetCookie().map((header) => header.split(";")[0]).join("; ");
    owner = asUser(server.url, { id: (await signedIn.json()).user.id, email, name: "Owner", cookie });
  });
  afterAll(async () => {
    await server?.stop();
    await storage?.dispose();
  });

  it("a sibling subdomain is refused, though it is the same site and SameSite=Lax lets the cookie through; APP_URL's own origin is let through", async () => {
    const create = (origin: string) => owner.request("/api/documents", { method: "POST", headers: { origin }, body: JSON.stringify({ title: `from ${origin}` }) });
    const sibling = await create("https://evil.example.test");
    expect(sibling.status).toBe(403);
    expect((await sibling.json()).code).toBe("foreign-origin");
    expect((await create(APP_URL)).status).toBe(201);
    const listed = await (await owner.request("/api/documents")).json();
    expect(listed.documents.map((document: { title: string }) => document.title)).toEqual([`from ${APP_URL}`]);
  });

  it("the CSP lets pages reach the collaboration socket on APP_URL's host", async () => {
    const csp = expectSecurityHeaders(await fetch(`${server.url}/sign-in`), "the sign-in page");
    expect(csp).toContain("connect-src 'self' ws://docs.example.test wss://docs.example.test");
  });
});
