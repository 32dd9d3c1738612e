import { defineConfig } from 'prisma/config';

// The CLI reads the URL only for commands that talk to the database (`prisma migrate deploy` where the
// schema engine is available); `prisma generate` needs none, so a missing DATABASE_URL must not fail here.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/campana' },
});
