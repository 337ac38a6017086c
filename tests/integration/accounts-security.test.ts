import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { asUser, cookieOf, PASSWORD, signUp, type TestUser } from "../support/accounts.ts";
import { connectClient, type TestClient } from "../support/client.ts";
import { backends, freshStorage, ROOT, type ServerProcess, type Storage, startServer } from "../support/server.ts";

const run = promisify(execFile);

/** Signs in through Better Auth's endpoint from a given client address (the test server trusts one proxy). */
function signIn(baseUrl: string, email: string, password: string, address: string): Promise<Response> {
  return fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl, "x-forwarded-for": address },
    body: JSON.stringify({ email, password }),
  });
}


const bearer = (baseUrl: string, token: string) => (path: string, init: RequestInit = {}) =>
  fetch(`${baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(init.headers as Record<string, string>) } });

async function createToken(user: TestUser, body: Record<string, unknown>): Promise<{ id: string; token: string; scope: string; expiresAt: string | null }> {
  const response = await user.request("/api/tokens", { method: "POST", body: JSON.stringify(body) });
  if (response.status !== 201) throw new Error(`token creation failed: ${response.status} ${await response.text()}`);
  return response.json();
}

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString());

describe.each(backends())("accounts under attack, on %s storage", (backend) => {
  let storage: Storage;
  let server: ServerProcess;

  beforeAll(async () => {
    storage = await freshStorage(backend);
    server = await startServer(storage, { AUTH_SECRET: "accounts-security-secret-0123456789abcdefghij" });
  });

  afterAll(async () => {
    await server?.stop();
    await storage?.dispose();
  });

  describe("personal API tokens", () => {
    it("a read-only token reads, every change it attempts answers 403 read-only-token, and it joins documents as a viewer", async () => {
      const owner = await signUp(server.url, "Reader Owner");
      const document = await owner.createDocument("Read me");
      const created = await createToken(owner, { name: "dashboard", scope: "read" });
      expect(created.scope).toBe("read");
      const listed = (await (await owner.request("/api/tokens")).json()).tokens.find((t: { id: string }) => t.id === created.id);
      expect(listed).toMatchObject({ scope: "read", expiresAt: null });

      const asToken = bearer(server.url, created.token);
      expect((await asToken("/api/documents")).status).toBe(200);
      expect((await asToken(`/api/documents/${document.id}`)).status).toBe(200);
      const attempts = {
        create: await asToken("/api/documents", { method: "POST", body: JSON.stringify({ title: "Nope" }) }),
        rename: await asToken(`/api/documents/${document.id}`, { method: "PATCH", body: JSON.stringify({ title: "Renamed" }) }),
        share: await asToken(`/api/documents/${document.id}/links`, { method: "POST", body: JSON.stringify({ role: "editor" }) }),
        delete: await asToken(`/api/documents/${document.id}`, { method: "DELETE" }),
        revoke: await asToken(`/api/tokens/${created.id}`, { method: "DELETE" }),
        join: await asToken(`/api/join/${randomUUID()}`, { method: "POST" }),
      };
      for (const [what, response] of Object.entries(attempts)) {
        expect([what, response.status]).toEqual([what, 403]);
        expect(await response.json()).toMatchObject({ code: "read-only-token", error: expect.stringMatching(/read-only/) });
      }
      expect((await (await owner.request(`/api/documents/${document.id}`)).json()).title).toBe("Read me");

      // The owner's read token mints a viewer's collaboration token, so the socket refuses its changes.
      const collab = await asToken(`/api/documents/${document.id}/collab-token`, { method: "POST" });
      expect(collab.status).toBe(200);
      const { token, role } = await collab.json();
      expect(role).toBe("viewer");
      expect(claimsOf(token).role).toBe("viewer");

      // A read-write token of the same owner still does everything.
      const writer = bearer(server.url, (await createToken(owner, { name: "sync", scope: "read-write" })).token);
      expect((await writer(`/api/documents/${document.id}`, { method: "PATCH", body: JSON.stringify({ title: "Renamed" }) })).status).toBe(200);
    });

    it("a token without a scope is read-write, as before scopes existed, and a bad scope is a 400", async () => {
      const user = await signUp(server.url, "Legacy");
      const created = await createToken(user, { name: "old script" });
      expect(created).toMatchObject({ scope: "read-write", expiresAt: null });
      expect((await bearer(server.url, created.token)("/api/documents", { method: "POST", body: "{}" })).status).toBe(201);
      const bad = await user.request("/api/tokens", { method: "POST", body: JSON.stringify({ name: "x", scope: "admin" }) });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error).toMatch(/scope/);
    });

    it("a token with an expiry shows it, and once past it is refused exactly like an unknown token", async () => {
      const user = await signUp(server.url, "Expiring");
      const inThirtyDays = await createToken(user, { name: "month", expiresInDays: 30 });
      const days = (Date.parse(inThirtyDays.expiresAt!) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(29.9);
      expect(days).toBeLessThanOrEqual(30);

      const soon = await createToken(user, { name: "soon", expiresAt: new Date(Date.now() + 1500).toISOString() });
      const asSoon = bearer(server.url, soon.token);
      expect((await asSoon("/api/me")).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const expired = await asSoon("/api/me");
      const unknown = await bearer(server.url, "iwk_never-issued-0123456789abcdefghijk")("/api/me");
      expect(expired.status).toBe(401);
      expect(await expired.text()).toBe(await unknown.text());
      expect((await user.request("/api/tokens", { method: "POST", body: JSON.stringify({ name: "past", expiresAt: "2000-01-01T00:00:00Z" }) })).status).toBe(400);
    });

    it("a token cannot mint another token: that needs a browser session", async () => {
      const user = await signUp(server.url, "Minter");
      const { token } = await createToken(user, { name: "leaked" });
      const minted = await bearer(server.url, token)("/api/tokens", { method: "POST", body: JSON.stringify({ name: "successor" }) });
      expect(minted.status).toBe(403);
      expect((await minted.json()).error).toMatch(/browser session/);
      expect((await (await user.request("/api/tokens")).json()).tokens.map((t: { name: string }) => t.name)).toEqual(["leaked"]);
    });

    it("a password change that asks for it revokes every personal token; one that does not leaves them", async () => {
      const user = await signUp(server.url, "Changer");
      const tokens = [await createToken(user, { name: "a" }), await createToken(user, { name: "b", scope: "read" })];
      const works = async () => Promise.all(tokens.map(async ({ token }) => (await bearer(server.url, token)("/api/me")).status));
      let calls = 0;
      // Each from an address of its own: Better Auth allows 3 password changes per address per 10 s.
      const changePassword = (body: Record<string, unknown>) =>
        user.request("/api/auth/change-password", { method: "POST", body: JSON.stringify(body), headers: { "x-forwarded-for": `10.66.0.${++calls}` } });

      expect((await changePassword({ currentPassword: "not my password", newPassword: "a new password 1", revokeApiTokens: true })).status).toBe(400);
      expect(await works()).toEqual([200, 200]);
      expect((await changePassword({ currentPassword: PASSWORD, newPassword: "a new password 1" })).status).toBe(200);
      expect(await works()).toEqual([200, 200]);
      expect((await changePassword({ currentPassword: "a new password 1", newPassword: "a new password 2", revokeApiTokens: true })).status).toBe(200);
      expect(await works()).toEqual([401, 401]);
      expect((await (await user.request("/api/tokens")).json()).tokens).toEqual([]);
    });
  });

  describe("sign-in", () => {
    it("15 tries at one account from 5 addresses: 5 reach the password check, the rest (a correct password too) answer 429 with Retry-After", async () => {
      const victim = await signUp(server.url, "Victim");
      const bystander = await signUp(server.url, "Bystander");
      const logsBefore = server.logs.length;
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let attempt = 0; attempt < 15; attempt++) {
        const response = await signIn(server.url, victim.email, `wrong-guess-${attempt}`, `192.0.2.${attempt % 5}`);
        statuses.push(response.status);
        if (response.status === 429) retryAfter = response.headers.get("retry-after");
      }
      console.log(`sign-in attempts against one account from 5 addresses: ${statuses.join(" ")}`);
      expect(statuses).toEqual([...Array(5).fill(401), ...Array(10).fill(429)]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      expect(Number(retryAfter)).toBeLessThanOrEqual(15 * 60);

      const correct = await signIn(server.url, victim.email, PASSWORD, "198.51.100.7");
      expect(correct.status).toBe(429);
      expect(correct.headers.getSetCookie()).toEqual([]);
      expect((await correct.json()).message).toMatch(/Too many sign-in attempts/);
      // Per account: someone else signs in as usual.
      expect((await signIn(server.url, bystander.email, PASSWORD, "192.0.2.50")).status).toBe(200);

      const logs = server.logs.slice(logsBefore).map((line) => {
        try {
          return JSON.parse(line);
        } catch {
          return { msg: line };
        }
      });
      const failed = logs.filter((entry) => /sign-in failed/.test(entry.msg));
      expect(failed.map((entry) => [entry.address, entry.email])).toEqual([0, 1, 2, 3, 4].map((n) => [`192.0.2.${n}`, victim.email]));
      expect(logs.filter((entry) => /too many attempts/.test(entry.msg))).toHaveLength(11);
      expect(server.logs.slice(logsBefore).join("\n")).not.toMatch(/wrong-guess|correct horse/);
    });

    it("a successful sign-in resets the count; the count is in the database, so a restart does not", async () => {
      const user = await signUp(server.url, "Forgetful");
      let attempts = 0;
      // A fresh address each time, so Better Auth's per-address limit never answers first.
      const tries = async (n: number, password = "forgot it") => {
        const seen: number[] = [];
        for (let i = 0; i < n; i++) seen.push((await signIn(server.url, user.email, password, `203.0.113.${++attempts}`)).status);
        return seen;
      };
      expect(await tries(4)).toEqual([401, 401, 401, 401]);
      expect(await tries(1, PASSWORD)).toEqual([200]);
      expect(await tries(4)).toEqual([401, 401, 401, 401]);
      await server.stop();
      server = await startServer(storage, { AUTH_SECRET: "accounts-security-secret-0123456789abcdefghij" });
      expect(await tries(2)).toEqual([401, 429]);
    });
  });

  describe("display names", () => {
    const signUpNamed = (name: string) =>
      fetch(`${server.url}/api/auth/sign-up/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url, "x-forwarded-for": `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` },
        body: JSON.stringify({ email: `named-${randomUUID().slice(0, 8)}@example.com`, password: PASSWORD, name }),
      });

    it("sign-up refuses a name of 81 characters (or a million) with a clear 400, and takes 80", async () => {
      const tooLong = await signUpNamed("n".repeat(81));
      expect(tooLong.status).toBe(400);
      expect((await tooLong.json()).message).toBe("name must be at most 80 characters");
      expect([400, 413]).toContain((await signUpNamed("n".repeat(1_000_000))).status);
      expect((await signUpNamed("🙂".repeat(80))).status).toBe(200);
    });

    it("update-user refuses a name of 81 characters (or a million) and keeps the old one", async () => {
      const user = await signUp(server.url, "Modest");
      const update = (name: unknown) => user.request("/api/auth/update-user", { method: "POST", body: JSON.stringify({ name }) });
      const tooLong = await update("m".repeat(81));
      expect(tooLong.status).toBe(400);
      expect((await tooLong.json()).message).toBe("name must be at most 80 characters");
      expect([400, 413]).toContain((await update("m".repeat(1_000_000))).status);
      expect((await update({ nested: "object" })).status).toBe(400);
      expect((await (await user.request("/api/me")).json()).name).toBe("Modest");
      expect((await update("m".repeat(80))).status).toBe(200);
      expect((await (await user.request("/api/me")).json()).name).toBe("m".repeat(80));
    });
  });
});

describe.each(backends())("rotating the generated AUTH_SECRET, on %s storage", (backend) => {
  let storage: Storage;
  let server: ServerProcess | undefined;
  const clients: TestClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await server?.stop();
    server = undefined;
    await storage?.dispose();
  });

  const admin = (extraEnv: Record<string, string>, ...args: string[]) =>
    run("npm", ["run", "-s", "admin", "--", ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: storage.dataDir, DATABASE_URL: storage.databaseUrl ?? "", LOG_LEVEL: "warn", AUTH_SECRET: "", ...extraEnv },
    });

  it("npm run admin -- rotate-secret: sessions and collaboration tokens issued before are refused after a restart", async () => {
    storage = await freshStorage(backend);
    server = await startServer(storage, { AUTH_SECRET: "" });
    const user = await signUp(server.url, "Rotator");
    const document = await user.createDocument("Before rotation");
    const oldCollabToken = await user.collabToken(document.id);
    await server.stop();

    const { stdout } = await admin({}, "rotate-secret");
    console.log(`rotate-secret said: ${stdout.trim()}`);
    expect(stdout).toMatch(/deleted 1 session/);
    expect(stdout).toMatch(/RESTART EVERY RUNNING SERVER/);

    server = await startServer(storage, { AUTH_SECRET: "" });
    // The same session cookie, sent to the restarted server.
    const withOldCookie = asUser(server.url, user);
    expect((await withOldCookie.request("/api/me")).status).toBe(401);
    const stale = connectClient(server.url, document.id, oldCollabToken);
    clients.push(stale);
    expect(await stale.refused()).toMatch(/token/);

    // Signing in again works, and the new tokens are accepted.
    const signedIn = await signIn(server.url, user.email, PASSWORD, "10.77.0.1");
    expect(signedIn.status).toBe(200);
    const again = asUser(server.url, { ...user, cookie: cookieOf(signedIn) });
    const fresh = connectClient(server.url, document.id, await again.collabToken(document.id));
    clients.push(fresh);
    await fresh.synced();
  });

  it("rotate-secret refuses when AUTH_SECRET is set, and the admin CLI caps names at 80 characters", async () => {
    storage = await freshStorage(backend);
    await expect(admin({ AUTH_SECRET: "configured-secret-0123456789abcdefghijklmnop" }, "rotate-secret")).rejects.toMatchObject({
      stderr: expect.stringMatching(/AUTH_SECRET is set in the environment.*set a new AUTH_SECRET for every server and restart/),
    });
    await expect(admin({}, "create-user", "--email", "long@example.com", "--password", PASSWORD, "--name", "x".repeat(81))).rejects.toMatchObject({
      stderr: expect.stringMatching(/--name must be at most 80 characters/),
    });
    expect((await admin({}, "create-user", "--email", "fine@example.com", "--password", PASSWORD, "--name", "x".repeat(80))).stdout).toMatch(/Created/);
  });
});
