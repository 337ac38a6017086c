import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { asUser, PASSWORD, postSignUp, share, signInAs, signUp, type TestUser } from "../support/accounts.ts";
import { closesOf, connectClient, eventually, type TestClient } from "../support/client.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

/** Every admin route, with a body that would change something if the caller were let through. */
const adminRoutes = (victimId: string) => [
  { method: "GET", path: "/api/admin/users" },
  { method: "PATCH", path: `/api/admin/users/${victimId}`, body: { disabled: true } },
  { method: "PATCH", path: `/api/admin/users/${victimId}`, body: { isAdmin: true } },
  { method: "POST", path: `/api/admin/users/${victimId}/password-reset` },
  { method: "GET", path: "/api/admin/settings" },
  { method: "PATCH", path: "/api/admin/settings", body: { signup: "open" } },
];

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

for (const backend of backends()) {
  describe(`the admin screen's API (${backend})`, () => {
    let storage: Storage;
    let server: ServerProcess;
    let admin: TestUser;
    let member: TestUser;
    const clients: TestClient[] = [];

    beforeAll(async () => {
      storage = await freshStorage(backend);
      server = await startServer(storage);
      admin = await signUp(server.url, "Admin");
      member = await signUp(server.url, "Member");
    });

    afterEach(() => {
      for (const client of clients.splice(0)) client.destroy();
    });

    afterAll(async () => {
      await server?.stop();
      await storage?.dispose();
    });

    it("every admin route answers 401 signed out and 403 to a non-admin, by session or API token, even naming another user's id; nothing changes", async () => {
      const target = await signUp(server.url, "Target");
      const memberToken = await member.apiToken("attacker script");
      for (const route of adminRoutes(target.id)) {
        const init = { method: route.method, body: route.body ? JSON.stringify(route.body) : undefined };
        const signedOut = await fetch(`${server.url}${route.path}`, { ...init, headers: { "content-type": "application/json", origin: server.url } });
        expect(signedOut.status, `${route.method} ${route.path} signed out`).toBe(401);
        const bySession = await member.request(route.path, init);
        expect(bySession.status, `${route.method} ${route.path} as a non-admin`).toBe(403);
        expect((await bySession.json()).error).toBe("only an admin of this Inkwell server may do this");
        const byToken = await fetch(`${server.url}${route.path}`, { ...init, headers: { "content-type": "application/json", ...bearer(memberToken) } });
        expect(byToken.status, `${route.method} ${route.path} with a non-admin's API token`).toBe(403);
      }
      // The non-admin tried to make themselves admin too.
      expect((await member.request(`/api/admin/users/${member.id}`, { method: "PATCH", body: JSON.stringify({ isAdmin: true }) })).status).toBe(403);

      // None of it took: the target still signs in, nobody became admin.
      expect((await signInAs(server.url, target.email, PASSWORD)).status).toBe(200);
      expect((await (await member.request("/api/me")).json()).isAdmin).toBe(false);
      const users = (await (await admin.request("/api/admin/users")).json()).users as { id: string; isAdmin: boolean; disabledAt: string | null }[];
      expect(users.find((user) => user.id === target.id)).toMatchObject({ isAdmin: false, disabledAt: null });
    });

    it("the admin lists users with when each was created and last signed in, and whether they are admin or disabled", async () => {
      const response = await admin.request("/api/admin/users");
      expect(response.status).toBe(200);
      const { users } = await response.json();
      const listed = users.find((user: { id: string }) => user.id === member.id);
      expect(listed).toMatchObject({ email: member.email, name: "Member", isAdmin: false, disabledAt: null });
      expect(Date.parse(listed.createdAt)).toBeGreaterThan(Date.now() - 120_000);
      expect(Date.parse(listed.lastSignedInAt)).toBeGreaterThanOrEqual(Date.parse(listed.createdAt));
      expect(users.find((user: { id: string }) => user.id === admin.id)).toMatchObject({ isAdmin: true });
      // Signing out deletes the session; the time of the last sign-in stays.
      const before = listed.lastSignedInAt;
      const again = await signInAs(server.url, member.email, PASSWORD);
      expect(again.status).toBe(200);
      const after = (await (await admin.request("/api/admin/users")).json()).users.find((user: { id: string }) => user.id === member.id);
      expect(Date.parse(after.lastSignedInAt)).toBeGreaterThanOrEqual(Date.parse(before));
      // An unknown id is not found, an unknown field a sentence.
      expect((await admin.request(`/api/admin/users/${randomUUID()}`, { method: "PATCH", body: JSON.stringify({ disabled: true }) })).status).toBe(404);
      const bad = await admin.request(`/api/admin/users/${member.id}`, { method: "PATCH", body: JSON.stringify({ disabled: "yes" }) });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error).toBe("disabled must be true or false");
    });

    it("disabling a user closes their open socket at once with the reason, and refuses their sign-in, session, API token and new sockets; enabling lets them back", async () => {
      const victim = await signUp(server.url, "Victim");
      const { id: documentId } = await admin.createDocument("Shared plans");
      await share(admin, documentId, victim.email, "editor");
      const apiToken = await victim.apiToken("backup");
      const collabToken = await victim.collabToken(documentId);
      const client = connectClient(server.url, documentId, collabToken);
      clients.push(client);
      await client.synced();
      const closes = closesOf(client);

      const started = performance.now();
      const disabled = await admin.request(`/api/admin/users/${victim.id}`, { method: "PATCH", body: JSON.stringify({ disabled: true }) });
      expect(disabled.status).toBe(200);
      expect((await disabled.json()).disabledAt).toEqual(expect.any(String));
      await eventually(() => closes.length > 0, "the victim's socket is closed");
      const elapsed = performance.now() - started;
      expect(elapsed).toBeLessThan(1_000);
      expect(closes[0]).toEqual({ code: 4403, reason: "account-disabled" });
      // Reconnecting with the token it still holds is refused, with the same reason.
      expect(await client.refused()).toBe("account-disabled");
      console.log(`disable: socket closed ${elapsed.toFixed(0)} ms after the admin disabled the account`);

      // Their browser session is gone, their API token refused, and signing in says why.
      expect((await victim.request("/api/me")).status).toBe(401);
      expect((await fetch(`${server.url}/api/documents`, { headers: bearer(apiToken) })).status).toBe(401);
      const signIn = await signInAs(server.url, victim.email, PASSWORD);
      expect(signIn.status).toBe(403);
      expect((await signIn.json()).message).toBe("This account has been disabled by an admin of this Inkwell server. Ask them to enable it again.");
      // A wrong password is just a wrong password: only someone who knows it learns the account is disabled.
      expect((await signInAs(server.url, victim.email, "not the password")).status).toBe(401);
      const fresh = connectClient(server.url, documentId, collabToken);
      clients.push(fresh);
      expect(await fresh.refused()).toBe("account-disabled");

      const enabled = await admin.request(`/api/admin/users/${victim.id}`, { method: "PATCH", body: JSON.stringify({ disabled: false }) });
      expect(await enabled.json()).toMatchObject({ disabledAt: null });
      const back = await signInAs(server.url, victim.email, PASSWORD);
      expect(back.status).toBe(200);
      expect((await fetch(`${server.url}/api/documents`, { headers: bearer(apiToken) })).status).toBe(200);
    });

    it("an admin cannot disable themselves nor remove the last admin; a second admin can be made, and then the first stepped down", async () => {
      const self = await admin.request(`/api/admin/users/${admin.id}`, { method: "PATCH", body: JSON.stringify({ disabled: true }) });
      expect(self.status).toBe(409);
      expect((await self.json()).error).toBe("You cannot disable your own account: ask another admin.");
      const lastAdmin = await admin.request(`/api/admin/users/${admin.id}`, { method: "PATCH", body: JSON.stringify({ isAdmin: false }) });
      expect(lastAdmin.status).toBe(409);
      expect((await lastAdmin.json()).error).toMatch(/last admin/);

      const deputy = await signUp(server.url, "Deputy");
      expect(await (await admin.request(`/api/admin/users/${deputy.id}`, { method: "PATCH", body: JSON.stringify({ isAdmin: true }) })).json()).toMatchObject({ isAdmin: true });
      expect((await deputy.request("/api/admin/users")).status).toBe(200);
      // Now the first admin may step down, and then is a non-admin like any other.
      expect((await deputy.request(`/api/admin/users/${admin.id}`, { method: "PATCH", body: JSON.stringify({ isAdmin: false }) })).status).toBe(200);
      expect((await admin.request("/api/admin/users")).status).toBe(403);
      // The deputy is the last admin now: disabling them (by themselves) or demoting them is refused.
      expect((await deputy.request(`/api/admin/users/${deputy.id}`, { method: "PATCH", body: JSON.stringify({ isAdmin: false }) })).status).toBe(409);
      expect((await deputy.request(`/api/admin/users/${admin.id}`, { method: "PATCH", body: JSON.stringify({ isAdmin: true }) })).status).toBe(200);
    });

    it("sign-up is open by default (ALLOW_SIGNUP), and the admin makes it invitation-only or closed; the sign-up page says which", async () => {
      const settings = async () => (await admin.request("/api/admin/settings")).json();
      expect(await settings()).toEqual({ signup: "open", emailConfigured: false });
      const email = () => `someone-${randomUUID().slice(0, 8)}@example.com`;
      expect((await postSignUp(server.url, { email: email(), password: PASSWORD, name: "Open" })).status).toBe(200);
      expect(await (await fetch(`${server.url}/sign-up`)).text()).not.toContain('data-testid="signup-mode"');

      expect((await admin.request("/api/admin/settings", { method: "PATCH", body: JSON.stringify({ signup: "invitation" }) })).status).toBe(200);
      const uninvited = await postSignUp(server.url, { email: email(), password: PASSWORD, name: "Uninvited" });
      expect(uninvited.status).toBe(403);
      expect((await uninvited.json()).message).toMatch(/invitation only/);
      expect(await (await fetch(`${server.url}/sign-up`)).text()).toContain("Sign-up on this server is by invitation only");
      // An invitation link still lets its holder in.
      const { id } = await admin.createDocument("Invitation");
      const invited = await (await admin.request(`/api/documents/${id}/members`, { method: "POST", body: JSON.stringify({ email: "guest@example.com", role: "viewer" }) })).json();
      const invitationToken = invited.invitation.url.split("/").at(-1);
      expect((await postSignUp(server.url, { email: "guest@example.com", password: PASSWORD, name: "Guest", invitationToken })).status).toBe(200);

      expect((await admin.request("/api/admin/settings", { method: "PATCH", body: JSON.stringify({ signup: "closed" }) })).status).toBe(200);
      const refused = await postSignUp(server.url, { email: email(), password: PASSWORD, name: "Closed" });
      expect(refused.status).toBe(403);
      expect((await refused.json()).message).toBe("This Inkwell server is not accepting new accounts. Ask its admin if you need one.");
      expect(await (await fetch(`${server.url}/sign-up`)).text()).toContain("This server is not accepting new accounts");
      const invitedAgain = await (await admin.request(`/api/documents/${id}/members`, { method: "POST", body: JSON.stringify({ email: "late@example.com", role: "viewer" }) })).json();
      const closedForInvited = await postSignUp(server.url, { email: "late@example.com", password: PASSWORD, name: "Late", invitationToken: invitedAgain.invitation.url.split("/").at(-1) });
      expect(closedForInvited.status).toBe(403);

      const bad = await admin.request("/api/admin/settings", { method: "PATCH", body: JSON.stringify({ signup: "sometimes" }) });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error).toBe("signup must be one of open, invitation, closed");
      await admin.request("/api/admin/settings", { method: "PATCH", body: JSON.stringify({ signup: "open" }) });
    });
  });
}

describe("sign-up closed on a fresh instance", () => {
  let storage: Storage;
  let server: ServerProcess | undefined;

  afterAll(async () => {
    await server?.stop();
    await storage?.dispose();
  });

  it("with ALLOW_SIGNUP=false the default is invitation-only, and the very first account can always be made", async () => {
    storage = await freshStorage("embedded");
    server = await startServer(storage, { ALLOW_SIGNUP: "false" });
    const first = await signUp(server.url, "First");
    expect(await (await first.request("/api/admin/settings")).json()).toMatchObject({ signup: "invitation" });
  });
});

describe.runIf(process.env.DATABASE_URL)("disabling with the collaboration socket in another process (Postgres NOTIFY)", () => {
  let storage: Storage;
  let web: ServerProcess | undefined;
  let collab: ServerProcess | undefined;
  const AUTH_SECRET = "a-shared-secret-of-at-least-32-characters!";

  afterAll(async () => {
    await collab?.stop();
    await web?.stop();
    await storage?.dispose();
  });

  it("the other process closes the disabled user's socket at once", async () => {
    storage = await freshStorage("postgres");
    web = await startServer(storage, { SERVICES: "web", AUTH_SECRET });
    collab = await startServer(storage, { SERVICES: "collaboration", AUTH_SECRET });
    const admin = await signUp(web.url, "Admin");
    const victim = await signUp(web.url, "Victim");
    const { id } = await admin.createDocument("Across processes");
    await share(admin, id, victim.email, "editor");
    const client = connectClient(collab.url, id, await asUser(web.url, victim).collabToken(id));
    try {
      await client.synced();
      const closes = closesOf(client);
      expect((await admin.request(`/api/admin/users/${victim.id}`, { method: "PATCH", body: JSON.stringify({ disabled: true }) })).status).toBe(200);
      await eventually(() => closes.length > 0, "the socket on the collaboration process is closed", 2_000);
      expect(closes[0]).toEqual({ code: 4403, reason: "account-disabled" });
    } finally {
      client.destroy();
    }
  });
});
