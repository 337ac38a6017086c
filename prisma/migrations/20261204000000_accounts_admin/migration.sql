-- A colour of the user's choosing, disabling by an admin, and when each user last signed in.
ALTER TABLE "users" ADD COLUMN "color" TEXT;
ALTER TABLE "users" ADD CONSTRAINT "users_color_check" CHECK ("color" IS NULL OR "color" ~ '^#[0-9a-f]{6}$');
ALTER TABLE "users" ADD COLUMN "disabled_at" TIMESTAMPTZ(3);
ALTER TABLE "users" ADD COLUMN "last_signed_in_at" TIMESTAMPTZ(3);

-- What sessions existed before: the latest one a user still has is the best guess of their last sign-in.
UPDATE "users" SET "last_signed_in_at" = (SELECT MAX("created_at") FROM "sessions" WHERE "sessions"."user_id" = "users"."id");
