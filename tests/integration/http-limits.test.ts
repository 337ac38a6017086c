import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp, type TestUser } from "../support/accounts.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

const MB = 1024 * 1024;
const METRICS_TOKEN = "metrics-token-for-the-scraper-0123";

interface RawAnswer {
  status: number;
  body: string;
  /** Bytes of the body written before the answer arrived (or the write failed). */
  sent: number;
}

/**
 * POSTs `total` bytes of a JSON-looking body as an attacker would stream it: with the length declared
 * or chunked, 64 KB at a time, never holding it in memory. Resolves with the server's answer; a server
 * that answers early and closes the socket is what we want, so write errors after the answer are fine.
 */
function streamBody(url: string, path: string, total: number, options: { declareLength: boolean; headers?: Record<string, string> }): Promise<RawAnswer> {
  const target = new URL(path, url);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const request = httpRequest(target, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: url,
        ...(options.declareLength ? { "content-length": String(total) } : { "transfer-encoding": "chunked" }),
        ...options.headers,
      },
    });
    request.on("response", (response) => {
      answered = true;
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body, sent }));
      response.on("error", () => resolve({ status: response.statusCode ?? 0, body, sent }));
    });
    request.on("error", (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    chunk[0] = "{".charCodeAt(0);
    const writeMore = () => {
      while (!answered && sent < total) {
        const part = chunk.subarray(0, Math.min(chunk.length, total - sent));
        sent += part.length;
        if (!request.write(part)) return void request.once("drain", writeMore);
      }
      if (!answered) request.end();
    };
    writeMore();
  });
}

function logged(server: ServerProcess): Record<string, any>[] {
  return server.logs.flatMap((line) => {
    try {
      return [JSON.parse(line)];
    } catch {
      return [];
    }
  });
}

function rssOf(server: ServerProcess): number {
  const status = readFileSync(`/proc/${server.child.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

describe.each(backends())("request bodies, lists and operator endpoints, on %s storage", (backend) => {
  let storage: Storage;
  let server: ServerProcess;
  let owner: TestUser;

  beforeAll(async () => {
    storage = await freshStorage(backend);
    server = await startServer(storage, { TRUST_PROXY: "1", MAX_DOCUMENTS_PER_MINUTE: "12" });
    owner = await signUp(server.url, "Owner");
  });
  afterAll(async () => {
    await server?.stop();
    await storage?.dispose();
  });

  const titles = async (user: TestUser): Promise<string[]> =>
    (await (await user.request("/api/documents?limit=500")).json()).documents.map((document: { title: string }) => document.title);

  describe("a body over 64 KB is refused with 413 before anything reads it", () => {
    it("an authenticated 50 MB POST /api/documents (which takes files up to MAX_IMPORT_BYTES), declared or chunked, answers 413 and creates nothing", async () => {
      for (const declareLength of [true, false]) {
        const answer = await streamBody(server.url, "/api/documents", 50 * MB, { declareLength, headers: { cookie: owner.cookie } });
        expect(answer.status, `declared length: ${declareLength}`).toBe(413);
        expect(JSON.parse(answer.body).code).toBe("body-too-large");
        // Answered while the body was still being sent, not after reading 50 MB.
        expect(answer.sent, `declared length: ${declareLength}`).toBeLessThan(50 * MB);
      }
      expect(await titles(owner)).toEqual([]);
      // What the server counted before refusing: the declared length, or the limit (10 MiB of file and
      // 64 KiB of multipart around it) and what arrived past it.
      const refusals = logged(server).filter((line) => line.msg === "request body over the limit refused" && line.url === "/api/documents");
      expect(refusals.map((line) => line.limit)).toEqual([10 * MB + 64 * 1024, 10 * MB + 64 * 1024]);
      // (The parser hands a chunked body over in pieces of its own size, so "one chunk" is at most a read's worth.)
      expect(refusals.map((line) => line.bytes === 50 * MB || (line.bytes > line.limit && line.bytes <= line.limit + MB))).toEqual([true, true]);
    });

    it("without a session, 50 MB to sign-out, sign-in and update-user answers 413 too", async () => {
      for (const path of ["/api/auth/sign-out", "/api/auth/sign-in/email", "/api/auth/update-user"]) {
        const answer = await streamBody(server.url, path, 50 * MB, { declareLength: false });
        expect(answer.status, path).toBe(413);
        expect(answer.sent, path).toBeLessThan(50 * MB);
      }
    });

    it("five concurrent 50 MB chunked bodies with no session leave the server's memory where it was", async () => {
      const before = rssOf(server);
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => streamBody(server.url, "/api/auth/update-user", 50 * MB, { declareLength: false })),
      );
      expect(answers.map((answer) => answer.status)).toEqual([413, 413, 413, 413, 413]);
      // Before the limit, each was read in full: 604 MB became 1,048 MB.
      expect(rssOf(server) - before).toBeLessThan(40 * MB);
    });

    it("a JSON body just under the limit is read as before, and the server still serves everyone after the refusals", async () => {
      const padding = "x".repeat(60 * 1024);
      const response = await owner.request("/api/documents", { method: "POST", body: JSON.stringify({ title: "Under the limit", padding }) });
      expect(response.status).toBe(201);
      expect(await titles(owner)).toContain("Under the limit");
    });
  });

  describe("the document list comes a page at a time", () => {
    it("pages of three give every document once, most recently edited first, and the last page says there is no next", async () => {
      const reader = await signUp(server.url, "Reader");
      const made: string[] = [];
      for (let i = 0; i < 7; i++) made.push((await reader.createDocument(`Page doc ${i}`)).title);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `?limit=3&cursor=${encodeURIComponent(cursor)}` : "?limit=3";
        const page = (await (await reader.request(`/api/documents${query}`)).json()) as { documents: { title: string }[]; nextCursor: string | null };
        expect(page.documents.length).toBeLessThanOrEqual(3);
        seen.push(...page.documents.map((document) => document.title));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual([...made].reverse());
    });

    it("without parameters the answer keeps its shape, with nextCursor null when everything fits", async () => {
      const page = await (await owner.request("/api/documents")).json();
      expect(page.documents).toEqual(expect.any(Array));
      expect(page.nextCursor).toBeNull();
    });

    it("a made-up cursor or a limit out of range is a 400 that says what to send", async () => {
      const badCursor = await owner.request("/api/documents?cursor=bm90LWEtY3Vyc29y");
      expect(badCursor.status).toBe(400);
      expect((await badCursor.json()).error).toMatch(/nextCursor/);
      for (const limit of ["0", "501", "abc", "2.5"]) expect((await owner.request(`/api/documents?limit=${limit}`)).status, limit).toBe(400);
    });
  });

  it("an account creating documents in a burst gets 429 with Retry-After past the quota; another account is not held back", async () => {
    const scripted = await signUp(server.url, "Scripted");
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) {
      const response = await scripted.request("/api/documents", { method: "POST", body: JSON.stringify({ title: `Burst ${i}` }) });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
        expect((await response.json()).error).toMatch(/Wait a minute/);
      }
    }
    expect(statuses.filter((status) => status === 201)).toHaveLength(12);
    expect(statuses.slice(12)).toEqual([429, 429]);
    expect((await titles(scripted)).length).toBe(12);
    const other = await signUp(server.url, "Other");
    expect((await other.request("/api/documents", { method: "POST", body: JSON.stringify({ title: "Mine" }) })).status).toBe(201);
  });

  it("an account minting API tokens in a burst gets 429 after ten a minute, and no token past it exists", async () => {
    const scripted = await signUp(server.url, "Token script");
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await scripted.request("/api/tokens", { method: "POST", body: JSON.stringify({ name: `burst ${i}` }) })).status);
    }
    expect(statuses).toEqual([...Array(10).fill(201), 429, 429]);
    expect((await (await scripted.request("/api/tokens")).json()).tokens).toHaveLength(10);
  });

  describe("/metrics is for this machine", () => {
    it("is served to a loopback client, and refused to a client elsewhere (as the proxy reports it)", async () => {
      expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
      const outside = await fetch(`${server.url}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } });
      expect(outside.status).toBe(403);
      const text = await outside.text();
      expect(text).not.toContain("inkwell_");
      expect(text).toMatch(/METRICS_TOKEN/);
    });
  });

  describe("after sign-in, only paths on this site", () => {
    it.each(["/.//evil.example/phish", "/a/..//evil.example/phish", "/%2e//evil.example/phish", "/./\\evil.example"])(
      "a signed-in visit to /sign-in and /sign-up with next=%s redirects on this site",
      async (next) => {
        for (const page of ["/sign-in", "/sign-up"]) {
          const response = await fetch(`${server.url}${page}?next=${encodeURIComponent(next)}`, { headers: { cookie: owner.cookie }, redirect: "manual" });
          expect(response.status, page).toBe(307);
          const location = response.headers.get("location")!;
          expect(new URL(location, server.url).host, `${page}: Location ${location}`).toBe(new URL(server.url).host);
        }
      },
    );
  });
});

describe("/metrics with METRICS_TOKEN", () => {
  let storage: Storage;
  let server: ServerProcess;

  beforeAll(async () => {
    storage = await freshStorage("embedded");
    server = await startServer(storage, { TRUST_PROXY: "1", METRICS_TOKEN });
  });
  afterAll(async () => {
    await server?.stop();
    await storage?.dispose();
  });

  it("is served anywhere with the token, and refused without it or with another, even on loopback", async () => {
    const from = { "x-forwarded-for": "203.0.113.9" };
    expect((await fetch(`${server.url}/metrics`, { headers: { ...from, authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${server.url}/metrics`, { headers: from })).status).toBe(403);
    expect((await fetch(`${server.url}/metrics`, { headers: { ...from, authorization: `Bearer ${METRICS_TOKEN}x` } })).status).toBe(403);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(403);
  });
});
