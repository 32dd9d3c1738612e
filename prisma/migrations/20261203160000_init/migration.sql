-- CreateEnum
CREATE TYPE "user_role" AS ENUM ('admin', 'communicator', 'approver', 'viewer');

-- CreateEnum
CREATE TYPE "school_zone" AS ENUM ('urban', 'rural');

-- CreateEnum
CREATE TYPE "contact_role" AS ENUM ('parent', 'teacher', 'director', 'supervisor', 'official');

-- CreateEnum
CREATE TYPE "channel" AS ENUM ('whatsapp', 'sms');

-- CreateEnum
CREATE TYPE "import_kind" AS ENUM ('contacts', 'schools', 'results');

-- CreateEnum
CREATE TYPE "import_status" AS ENUM ('receiving', 'queued', 'running', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "campaign_status" AS ENUM ('draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled');

-- CreateEnum
CREATE TYPE "step_status" AS ENUM ('pending', 'scheduled', 'sending', 'completed', 'cancelled');

-- CreateEnum
CREATE TYPE "run_status" AS ENUM ('scheduled', 'fanning_out', 'sending', 'completed', 'cancelled');

-- CreateEnum
CREATE TYPE "delivery_status" AS ENUM ('queued', 'sending', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'skipped', 'cancelled');

-- CreateTable
CREATE TABLE "users" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "role" "user_role" NOT NULL,
    "departments" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMPTZ(3),

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "user_id" INTEGER,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT,
    "changes" JSONB NOT NULL DEFAULT '{}',
    "request_id" TEXT,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "settings" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "settings_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "schools" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "department" TEXT NOT NULL,
    "district" TEXT NOT NULL,
    "zone" "school_zone",
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "schools_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "school_results" (
    "school_code" TEXT NOT NULL,
    "grade" SMALLINT NOT NULL,
    "subject" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "school_results_pkey" PRIMARY KEY ("school_code","grade","subject")
);

-- CreateTable
CREATE TABLE "contacts" (
    "id" SERIAL NOT NULL,
    "phone" TEXT,
    "name" TEXT,
    "role" "contact_role" NOT NULL,
    "language" TEXT NOT NULL,
    "channel" "channel" NOT NULL,
    "school_code" TEXT,
    "department" TEXT,
    "district" TEXT,
    "grade" SMALLINT,
    "timezone" TEXT NOT NULL DEFAULT 'America/Asuncion',
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "opted_out" BOOLEAN NOT NULL DEFAULT false,
    "opted_out_at" TIMESTAMPTZ(3),
    "opt_out_source" TEXT,
    "erased_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contacts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "segments" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "filter" JSONB NOT NULL,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "segments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "imports" (
    "id" SERIAL NOT NULL,
    "kind" "import_kind" NOT NULL,
    "status" "import_status" NOT NULL DEFAULT 'receiving',
    "filename" TEXT,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "rows_done" INTEGER NOT NULL DEFAULT 0,
    "created" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "imports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_chunks" (
    "import_id" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "import_chunks_pkey" PRIMARY KEY ("import_id","seq")
);

-- CreateTable
CREATE TABLE "import_rejections" (
    "import_id" INTEGER NOT NULL,
    "line" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "import_rejections_pkey" PRIMARY KEY ("import_id","line")
);

-- CreateTable
CREATE TABLE "campaigns" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "status" "campaign_status" NOT NULL DEFAULT 'draft',
    "audience" JSONB NOT NULL,
    "segment_id" INTEGER,
    "schedule" JSONB NOT NULL,
    "options" JSONB NOT NULL DEFAULT '{}',
    "author_id" INTEGER,
    "approved_by_id" INTEGER,
    "approved_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaigns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaign_steps" (
    "id" SERIAL NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "week" INTEGER,
    "requested_send_at" TIMESTAMPTZ(3),
    "send_at" TIMESTAMPTZ(3) NOT NULL,
    "content" JSONB NOT NULL,
    "whatsapp_template" JSONB,
    "status" "step_status" NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaign_steps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "step_runs" (
    "id" SERIAL NOT NULL,
    "step_id" INTEGER NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "timezone" TEXT,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "run_status" NOT NULL DEFAULT 'scheduled',
    "cursor" INTEGER NOT NULL DEFAULT 0,
    "targeted" INTEGER NOT NULL DEFAULT 0,
    "fired_at" TIMESTAMPTZ(3),
    "fanned_out_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "step_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deliveries" (
    "id" BIGSERIAL NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "step_id" INTEGER NOT NULL,
    "run_id" INTEGER NOT NULL,
    "contact_id" INTEGER NOT NULL,
    "channel" "channel" NOT NULL,
    "language" TEXT NOT NULL,
    "status" "delivery_status" NOT NULL DEFAULT 'queued',
    "pending" BOOLEAN NOT NULL DEFAULT true,
    "skip_reason" TEXT,
    "sender" TEXT,
    "provider_sid" TEXT,
    "body" TEXT,
    "segments" SMALLINT,
    "attempts" SMALLINT NOT NULL DEFAULT 0,
    "claimed_until" TIMESTAMPTZ(3),
    "attempted_at" TIMESTAMPTZ(3),
    "next_attempt_at" TIMESTAMPTZ(3),
    "accepted_at" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "read_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),
    "error_code" INTEGER,
    "error_message" TEXT,
    "fallback_for_id" BIGINT,
    "attempt_log" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id")
);

-- Status callbacks update rows in place (HOT updates) when the page has room.
ALTER TABLE "deliveries" SET (fillfactor = 70);

-- CreateTable
CREATE TABLE "pending_status_callbacks" (
    "id" BIGSERIAL NOT NULL,
    "provider_sid" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "error_code" INTEGER,
    "error_message" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pending_status_callbacks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inbound_messages" (
    "id" BIGSERIAL NOT NULL,
    "provider_sid" TEXT NOT NULL,
    "channel" "channel" NOT NULL,
    "from_address" TEXT,
    "to_address" TEXT,
    "body" TEXT,
    "contact_id" INTEGER,
    "action" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbound_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sandbox_messages" (
    "sid" TEXT NOT NULL,
    "to_address" TEXT NOT NULL,
    "from_address" TEXT NOT NULL,
    "body" TEXT,
    "content_sid" TEXT,
    "media_url" TEXT,
    "status_callback" TEXT,
    "status" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sandbox_messages_pkey" PRIMARY KEY ("sid")
);

-- CreateTable
CREATE TABLE "archive_entries" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "step_id" INTEGER NOT NULL,
    "language" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "sender" TEXT NOT NULL,
    "audience" JSONB NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "corrects_id" INTEGER,

    CONSTRAINT "archive_entries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "api_keys_prefix_idx" ON "api_keys"("prefix");

-- CreateIndex
CREATE INDEX "audit_log_entity_type_entity_id_idx" ON "audit_log"("entity_type", "entity_id");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "schools_department_district_idx" ON "schools"("department", "district");

-- CreateIndex
CREATE UNIQUE INDEX "contacts_phone_key" ON "contacts"("phone");

-- CreateIndex
CREATE INDEX "contacts_role_idx" ON "contacts"("role");

-- CreateIndex
CREATE INDEX "contacts_department_district_idx" ON "contacts"("department", "district");

-- CreateIndex
CREATE INDEX "contacts_school_code_idx" ON "contacts"("school_code");

-- CreateIndex
CREATE INDEX "contacts_language_idx" ON "contacts"("language");

-- CreateIndex
CREATE INDEX "contacts_channel_idx" ON "contacts"("channel");

-- CreateIndex
CREATE INDEX "contacts_grade_idx" ON "contacts"("grade");

-- CreateIndex
CREATE INDEX "contacts_timezone_idx" ON "contacts"("timezone");

-- CreateIndex
CREATE UNIQUE INDEX "segments_name_key" ON "segments"("name");

-- CreateIndex
CREATE INDEX "campaigns_status_idx" ON "campaigns"("status");

-- CreateIndex
CREATE UNIQUE INDEX "campaign_steps_campaign_id_position_key" ON "campaign_steps"("campaign_id", "position");

-- CreateIndex
CREATE INDEX "step_runs_status_due_at_idx" ON "step_runs"("status", "due_at");

-- CreateIndex
CREATE INDEX "step_runs_step_id_idx" ON "step_runs"("step_id");

-- CreateIndex
CREATE UNIQUE INDEX "deliveries_step_id_contact_id_key" ON "deliveries"("step_id", "contact_id") WHERE fallback_for_id IS NULL;

-- CreateIndex
CREATE UNIQUE INDEX "deliveries_fallback_for_id_key" ON "deliveries"("fallback_for_id") WHERE fallback_for_id IS NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "deliveries_provider_sid_key" ON "deliveries"("provider_sid") WHERE provider_sid IS NOT NULL;

-- CreateIndex
CREATE INDEX "deliveries_run_id_id_idx" ON "deliveries"("run_id", "id");

-- CreateIndex
CREATE INDEX "deliveries_pending_idx" ON "deliveries"("run_id") WHERE pending;

-- CreateIndex
CREATE INDEX "deliveries_claimed_idx" ON "deliveries"("claimed_until") WHERE claimed_until IS NOT NULL;

-- CreateIndex
CREATE INDEX "pending_status_callbacks_provider_sid_idx" ON "pending_status_callbacks"("provider_sid");

-- CreateIndex
CREATE UNIQUE INDEX "inbound_messages_provider_sid_key" ON "inbound_messages"("provider_sid");

-- CreateIndex
CREATE INDEX "inbound_messages_received_at_idx" ON "inbound_messages"("received_at");

-- CreateIndex
CREATE INDEX "inbound_messages_contact_id_idx" ON "inbound_messages"("contact_id");

-- CreateIndex
CREATE INDEX "sandbox_messages_to_address_created_at_idx" ON "sandbox_messages"("to_address", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "archive_entries_code_key" ON "archive_entries"("code");

-- CreateIndex
CREATE INDEX "archive_entries_published_at_idx" ON "archive_entries"("published_at");

-- CreateIndex
CREATE UNIQUE INDEX "archive_entries_original_key" ON "archive_entries"("step_id", "language") WHERE corrects_id IS NULL;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "school_results" ADD CONSTRAINT "school_results_school_code_fkey" FOREIGN KEY ("school_code") REFERENCES "schools"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_school_code_fkey" FOREIGN KEY ("school_code") REFERENCES "schools"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_chunks" ADD CONSTRAINT "import_chunks_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "imports"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_rejections" ADD CONSTRAINT "import_rejections_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "imports"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_steps" ADD CONSTRAINT "campaign_steps_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "step_runs" ADD CONSTRAINT "step_runs_step_id_fkey" FOREIGN KEY ("step_id") REFERENCES "campaign_steps"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "archive_entries" ADD CONSTRAINT "archive_entries_corrects_id_fkey" FOREIGN KEY ("corrects_id") REFERENCES "archive_entries"("id") ON DELETE SET NULL ON UPDATE CASCADE;
