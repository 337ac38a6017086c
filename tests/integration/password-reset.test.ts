import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, signInAs, signUp, type TestUser } from "../support/accounts.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";
import { startSmtpServer, type TestSmtpServer } from "../support/smtp.ts";

const NEW_PASSWORD = "a brand new passphrase";

/** From an address of its own each time: Better Auth allows 3 reset requests a minute per address. */
function askForReset(server: ServerProcess, email: string): Promise<Response> {
  const address = `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  return fetch(`${server.url}/api/auth/request-password-reset`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url, "x-forwarded-for": address },
    body: JSON.stringify({ email }),
  });
}

function resetWith(server: ServerProcess, token: string, newPassword: string): Promise<Response> {
  return fetch(`${server.url}/api/auth/reset-password`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url },
    body: JSON.stringify({ token, newPassword }),
  });
}

const linkIn = (text: string) => /(http:\/\/\S+\/reset-password\?token=[A-Za-z0-9_-]+)/.exec(text)?.[1];

/** Opens the link as a person would (the page renders the form), and returns its token. */
async function followLink(url: string): Promise<string> {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("Choose a new password");
  return new URL(url).searchParams.get("token")!;
}

for (const backend of backends()) {
  describe(`password reset by email (${backend})`, () => {
    let storage: Storage;
    let server: ServerProcess;
    let smtp: TestSmtpServer;
    let admin: TestUser;

    beforeAll(async () => {
      smtp = await startSmtpServer();
      storage = await freshStorage(backend);
      server = await startServer(storage, { SMTP_URL: smtp.url, MAIL_FROM: "Inkwell Test <inkwell@test.example>" });
      admin = await signUp(server.url, "Admin");
    });

    afterAll(async () => {
      await server?.stop();
      await storage?.dispose();
      await smtp?.close();
    });

    it("“Forgot your password?” emails a link that sets a new password, signs out every session, and works once", async () => {
      const ada = await signUp(server.url, "Ada");
      const signInPage = await (await fetch(`${server.url}/sign-in`)).text();
      expect(signInPage).toContain('href="/forgot-password"');
      expect(await (await fetch(`${server.url}/forgot-password`)).text()).toContain("Send me a link");

      const asked = await askForReset(server, ada.email);
      expect(asked.status).toBe(200);
      const mail = await smtp.mailTo(ada.email);
      expect(mail.subject).toBe("Reset your Inkwell password");
      const url = linkIn(mail.text);
      expect(url).toMatch(new RegExp(`^${server.url}/reset-password\\?token=`));
      const token = await followLink(url!);

      const tooShort = await resetWith(server, token, "short");
      expect(tooShort.status).toBe(400);
      expect((await resetWith(server, token, NEW_PASSWORD)).status).toBe(200);
      // The session Ada had is gone, the old password no longer works, the new one does.
      expect((await ada.request("/api/me")).status).toBe(401);
      expect((await signInAs(server.url, ada.email, PASSWORD)).status).toBe(401);
      expect((await signInAs(server.url, ada.email, NEW_PASSWORD)).status).toBe(200);
      // The link is spent.
      const again = await resetWith(server, token, "yet another password");
      expect(again.status).toBe(400);
      expect((await again.json()).code).toBe("INVALID_TOKEN");
    });

    it("the answer for an email with no account is the same, in about the same time, and sends nothing", async () => {
      const bob = await signUp(server.url, "Bob");
      const timed = async (email: string) => {
        const started = performance.now();
        const response = await askForReset(server, email);
        return { status: response.status, body: await response.json(), ms: performance.now() - started };
      };
      // Warmed up first, so neither measurement pays for a first request.
      await timed("warm-up@example.com");
      const known = await timed(bob.email);
      const unknown = await timed("nobody-here@example.com");
      expect(unknown.status).toBe(known.status);
      expect(unknown.body).toEqual(known.body);
      console.log(`password reset request: ${known.ms.toFixed(0)} ms for an account, ${unknown.ms.toFixed(0)} ms for none`);
      expect(Math.abs(known.ms - unknown.ms)).toBeLessThan(250);
      await smtp.mailTo(bob.email);
      expect(smtp.received.some((message) => message.to.includes("nobody-here@example.com"))).toBe(false);
    });

    it("an admin's reset link is shown to the admin once and emailed to the user, and sets the password", async () => {
      const carol = await signUp(server.url, "Carol");
      const issued = await admin.request(`/api/admin/users/${carol.id}/password-reset`, { method: "POST" });
      expect(issued.status).toBe(201);
      const { url, emailed, expiresAt } = await issued.json();
      expect(emailed).toBe(true);
      expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now() + 23 * 3600_000);
      const mail = await smtp.mailTo(carol.email);
      expect(mail.subject).toBe("A link to set your Inkwell password");
      expect(mail.text).toContain("Admin, an admin of your Inkwell server");
      expect(linkIn(mail.text)).toBe(url);
      expect((await resetWith(server, await followLink(url), NEW_PASSWORD)).status).toBe(200);
      expect((await signInAs(server.url, carol.email, NEW_PASSWORD)).status).toBe(200);
    });
  });
}

describe("password reset without SMTP", () => {
  let storage: Storage;
  let server: ServerProcess;

  beforeAll(async () => {
    storage = await freshStorage("embedded");
    server = await startServer(storage);
  });

  afterAll(async () => {
    await server?.stop();
    await storage?.dispose();
  });

  it("the forgot-password page says to ask an admin, whose link is for copying and works", async () => {
    const admin = await signUp(server.url, "Admin");
    const dave = await signUp(server.url, "Dave");
    expect(await (await fetch(`${server.url}/forgot-password`)).text()).toContain("This Inkwell server cannot send email. Ask one of its admins for a password-reset link");
    // Asking anyway answers as usual, and tells nothing.
    expect((await askForReset(server, dave.email)).status).toBe(200);

    const { url, emailed } = await (await admin.request(`/api/admin/users/${dave.id}/password-reset`, { method: "POST" })).json();
    expect(emailed).toBe(false);
    expect((await resetWith(server, await followLink(url), NEW_PASSWORD)).status).toBe(200);
    expect((await signInAs(server.url, dave.email, NEW_PASSWORD)).status).toBe(200);
    expect((await (await fetch(`${server.url}/reset-password`)).text())).toContain("This address is missing its reset token");
  });
});
