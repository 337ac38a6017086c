import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../../server/env.ts";

const POSTGRES = "postgresql://postgres@127.0.0.1:5432/test";
const env = (values: Record<string, string>) => values as NodeJS.ProcessEnv;

describe("configuration", () => {
  it("runs the web app and the collaboration socket in one process unless told otherwise", () => {
    expect(parseEnv(env({})).SERVICES).toEqual(["web", "collaboration"]);
  });

  it("takes the collaboration socket alone, or the web app alone, on Postgres", () => {
    expect(parseEnv(env({ SERVICES: "collaboration", DATABASE_URL: POSTGRES })).SERVICES).toEqual(["collaboration"]);
    expect(parseEnv(env({ SERVICES: " web , web ", DATABASE_URL: POSTGRES })).SERVICES).toEqual(["web"]);
  });

  it("refuses to split the services on the embedded database, and says why", () => {
    expect(() => parseEnv(env({ SERVICES: "collaboration" }))).toThrow(EnvError);
    expect(() => parseEnv(env({ SERVICES: "collaboration" }))).toThrow(/SERVICES: .*needs DATABASE_URL/);
  });

  it("names an unknown service and what it may be", () => {
    expect(() => parseEnv(env({ SERVICES: "web,sockets", DATABASE_URL: POSTGRES }))).toThrow(/SERVICES\.1: each must be one of web, collaboration \(got "web,sockets"\)/);
    expect(() => parseEnv(env({ SERVICES: " , ", DATABASE_URL: POSTGRES }))).toThrow(/SERVICES: must name at least one service/);
  });

  it("hides secrets when it reports them", () => {
    const error = (() => {
      try {
        parseEnv(env({ DATABASE_URL: "mysql://root:hunter2@db/inkwell" }));
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toMatch(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL \(got a value that is not shown\)/);
    expect(error?.message).not.toContain("hunter2");
  });
});
