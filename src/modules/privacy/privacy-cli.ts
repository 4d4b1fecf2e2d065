// `npm run cli -- users:export --email E [--out folder]` and `users:erase --email E`: GDPR requests from the command line.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type PrivacyService, writeExportFolder } from './privacy-service.js';

export const privacyUsage = `  users:export --email E [--out <folder>]
      Writes everything stored about the person (account, requests, messages, ratings, comments, files, mails) as
      person.json plus the files into a new folder (default ./export-<id>).
  users:erase --email E
      Erases the person: no more login, name and address replaced, messages, comments, files, mails and raw mails
      deleted; their requests stay as anonymous shells for the statistics. Recorded in the audit log.`;

/** Parses the options, exports, and prints where it went; returns the exit code. */
export async function runUsersExportCommand(privacy: PrivacyService, args: string[], print: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, options: { email: { type: 'string' }, out: { type: 'string' } } });
  if (!values.email) {
    print(privacyUsage);
    return 2;
  }
  const exported = privacy.exportPerson({ via: 'cli' }, values.email);
  if (!exported) {
    print(`No account with the address ${values.email}.`);
    return 1;
  }
  const written = await writeExportFolder(exported, resolve(values.out ?? `export-${exported.userId}`));
  print(`Exported account ${exported.userId} to ${written.folder}: person.json and ${written.files} files.`);
  return 0;
}

export async function runUsersEraseCommand(privacy: PrivacyService, args: string[], print: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, options: { email: { type: 'string' } } });
  if (!values.email) {
    print(privacyUsage);
    return 2;
  }
  const result = await privacy.erasePerson({ via: 'cli' }, values.email);
  switch (result.outcome) {
    case 'not-found':
      print(`No account with the address ${values.email}.`);
      return 1;
    case 'team-account':
      print(`${values.email} is a team account; deactivate it on the team page instead (team accounts are not erased).`);
      return 1;
    case 'erased': {
      const { requests, messages, files, comments, mails } = result.counts;
      print(`Erased account ${result.userId}: ${requests} requests kept as anonymous shells; ${messages} messages, ${files} files, ${comments} comments, ${mails} mails deleted.`);
      return 0;
    }
  }
}
