// Operator commands: `npm run cli -- <command> [options]`.
import { parseArgs } from 'node:util';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { userRoles, type UserRole } from './db/schema.js';
import { automationsUsage, runAutomationsCommand } from './modules/automation/automation-cli.js';
import { seedDemo } from './modules/demo/seed-demo.js';
import { backupDataDir } from './modules/ops/backup.js';
import { privacyUsage, runUsersEraseCommand, runUsersExportCommand } from './modules/privacy/privacy-cli.js';
import { exitCodes, mailIngestUsage, runMailIngestCommand } from './modules/inbound/ingest-command.js';

const usage = `Usage: npm run cli -- <command> [options]

Commands:
  users:create --email E --name N --role customer|agent|lead|admin [--password P]
      Creates an account. Without --password it prints a one-time link (valid 7 days) to set one.
  seed:demo
      Fills the database with a demo shop: team, customers, requests in every status.
  db:backup <folder>
      Copies the database (online, consistent) and every stored file into a new, empty folder; see README.
${privacyUsage}
${automationsUsage}
${mailIngestUsage}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'mail:ingest') return mailIngest();
  const config = loadConfig();
  switch (command) {
    case 'users:create': {
      const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' } } });
      if (!values.email || !values.name || !userRoles.includes(values.role as UserRole)) {
        console.error(usage);
        return 2;
      }
      const app = await buildApp(config);
      try {
        const { user, setPasswordUrl } = await app.services.accounts.createUser({
          email: values.email, name: values.name, role: values.role as UserRole, password: values.password,
        });
        console.log(`Created ${user.role} ${user.email} (id ${user.id}).`);
        if (setPasswordUrl) console.log(`Link to set the password (valid 7 days, once):\n${setPasswordUrl}`);
        return 0;
      } finally {
        await app.close();
      }
    }
    case 'seed:demo': {
      const app = await buildApp(config);
      try {
        const summary = await seedDemo(app.services);
        console.log(summary);
        return 0;
      } finally {
        await app.close();
      }
    }
    case 'db:backup': {
      const [target] = rest;
      if (!target) {
        console.error(usage);
        return 2;
      }
      const app = await buildApp(config);
      try {
        const summary = await backupDataDir({ db: app.services.db, dataDir: config.dataDir, databasePath: config.databasePath }, target);
        console.log(`Backup written to ${summary.target}: database (integrity ${summary.integrity}) and ${summary.files} other files.`);
        return 0;
      } finally {
        await app.close();
      }
    }
    case 'users:export':
    case 'users:erase': {
      const app = await buildApp(config);
      try {
        const run = command === 'users:export' ? runUsersExportCommand : runUsersEraseCommand;
        return await run(app.services.privacy, rest, (line) => console.log(line));
      } finally {
        await app.close();
      }
    }
    case 'automations:run': {
      const app = await buildApp(config);
      try {
        return await runAutomationsCommand(app.services.automations, rest, (line) => console.log(line));
      } finally {
        await app.close();
      }
    }
    default:
      console.error(usage);
      return command ? 2 : 0;
  }
}

/** A pipe from the mail server: anything that goes wrong before the mail is stored asks the server to try again (75). */
async function mailIngest(): Promise<number> {
  try {
    const app = await buildApp(loadConfig());
    try {
      return await runMailIngestCommand(app.services.inbound, process.stdin, (line) => console.error(line));
    } finally {
      await app.close();
    }
  } catch (error) {
    console.error(`mail:ingest: ${error instanceof Error ? error.message : String(error)}`);
    return exitCodes.tryAgainLater;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
  console.error(error instanceof ConfigError ? error.message : `Error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
