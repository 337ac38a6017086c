import { describe, expect, it } from "vitest";
import { tokenBody } from "../../app/api/request.ts";
import { MAX_NAME_LENGTH, nameTooLong } from "../../server/accounts/accounts.ts";

describe("display name length", () => {
  it("takes 80 characters and refuses 81, counting characters as people see them", () => {
    expect(MAX_NAME_LENGTH).toBe(80);
    expect(nameTooLong("a".repeat(80))).toBe(false);
    expect(nameTooLong("a".repeat(81))).toBe(true);
    // 80 emoji are 160 UTF-16 units, still 80 characters.
    expect(nameTooLong("🙂".repeat(80))).toBe(false);
    expect(nameTooLong("🙂".repeat(81))).toBe(true);
    expect(nameTooLong("a".repeat(1_000_000))).toBe(true);
  });
});

describe("the body of POST /api/tokens", () => {
  const parse = (body: unknown) => tokenBody.safeParse(body);
  const problem = (body: unknown) => parse(body).error?.issues[0]?.message;

  it("without scope or expiry is a read-write token that never expires, as tokens were before", () => {
    expect(parse({ name: "script" }).data).toEqual({ name: "script", scope: "read-write", expiresInDays: null });
  });

  it("takes a read scope and an expiry in days or as a moment, never both", () => {
    expect(parse({ name: "x", scope: "read", expiresInDays: 30 }).data).toMatchObject({ scope: "read", expiresInDays: 30 });
    const soon = new Date(Date.now() + 60_000);
    expect(parse({ name: "x", expiresAt: soon.toISOString() }).data?.expiresAt?.getTime()).toBe(soon.getTime());
    expect(problem({ name: "x", expiresInDays: 3, expiresAt: soon.toISOString() })).toMatch(/not both/);
  });

  it("names what is wrong with a bad scope or expiry", () => {
    expect(problem({ name: "x", scope: "admin" })).toMatch(/scope must be "read" or "read-write"/);
    expect(problem({ name: "x", expiresInDays: 0 })).toMatch(/at least 1/);
    expect(problem({ name: "x", expiresInDays: 1.5 })).toMatch(/whole number/);
    expect(problem({ name: "x", expiresInDays: 100_000 })).toMatch(/at most 3650/);
    expect(problem({ name: "x", expiresAt: "2000-01-01T00:00:00Z" })).toMatch(/in the future/);
    expect(problem({ name: "x", expiresAt: "tomorrow" })).toMatch(/ISO 8601/);
  });
});
