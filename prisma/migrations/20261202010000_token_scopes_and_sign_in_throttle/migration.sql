-- Personal API tokens get a scope and an optional expiry. Existing tokens keep what they could do:
-- read-write, never expiring.
ALTER TABLE "api_tokens" ADD COLUMN "scope" TEXT NOT NULL DEFAULT 'read-write';
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_scope_check" CHECK ("scope" IN ('read', 'read-write'));
ALTER TABLE "api_tokens" ADD COLUMN "expires_at" TIMESTAMPTZ(3);

-- Sign-in attempts per email within a window, shared by every server process on the database.
CREATE TABLE "sign_in_throttles" (
    "email" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "window_started_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sign_in_throttles_pkey" PRIMARY KEY ("email")
);
