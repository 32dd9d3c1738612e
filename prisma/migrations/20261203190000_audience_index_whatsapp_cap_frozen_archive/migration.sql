-- DropIndex
DROP INDEX "contacts_role_idx";

-- DropIndex
DROP INDEX "contacts_language_idx";

-- DropIndex
DROP INDEX "contacts_channel_idx";

-- DropIndex
DROP INDEX "contacts_grade_idx";

-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN "cap_action" TEXT;

-- AlterTable
ALTER TABLE "archive_entries" ADD COLUMN "campaign_name" TEXT;
UPDATE "archive_entries" a SET "campaign_name" = c."name" FROM "campaigns" c WHERE c."id" = a."campaign_id";
ALTER TABLE "archive_entries" ALTER COLUMN "campaign_name" SET NOT NULL;

-- CreateIndex
CREATE INDEX "contacts_audience_idx" ON "contacts"("role", "department", "language", "channel", "opted_out", "district", "school_code", "grade") WHERE erased_at IS NULL;

-- CreateIndex
CREATE INDEX "deliveries_body_retention_idx" ON "deliveries"("created_at") WHERE body IS NOT NULL;

-- CreateIndex
CREATE INDEX "archive_entries_corrects_id_idx" ON "archive_entries"("corrects_id");

-- Official messages are never changed: a correction is a new entry. This holds for anyone with SQL
-- access too, not only for the API.
CREATE FUNCTION archive_entries_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'archive entries are never changed or deleted: publish a correction instead';
END
$$;

CREATE TRIGGER archive_entries_immutable BEFORE UPDATE OR DELETE ON "archive_entries"
  FOR EACH ROW EXECUTE FUNCTION archive_entries_immutable();
