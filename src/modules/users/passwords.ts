// Password hashing (argon2id, capped in concurrency so a login flood cannot starve other work) and the password rules.
import argon2 from 'argon2';
import pLimit from 'p-limit';
import { dictionary } from '@zxcvbn-ts/language-common';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
const hashOptions = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const passwordLength = { min: 10, max: 256 } as const;

const commonPasswords = new Set(
  [...(dictionary['passwords-common'] as string[]), 'passwort', 'passwort1', 'passwort123', 'hallo123', 'kennwort', 'kennwort1', 'kennwort123', 'geheim123']
    .filter((password) => password.length >= passwordLength.min)
    .map((password) => password.toLowerCase()),
);

export function isCommonPassword(password: string): boolean {
  return commonPasswords.has(password.toLowerCase());
}

export type PasswordHasher = {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Spends the same work as a real check, so an unknown address answers no faster than a known one. */
  verifyAgainstNothing(password: string): Promise<void>;
};

export function createPasswordHasher({ concurrency = 2 }: { concurrency?: number } = {}): PasswordHasher {
  const limit = pLimit(concurrency);
  let dummyHash: Promise<string> | undefined;
  const hash = (password: string) => limit(() => argon2.hash(password, hashOptions));
  const verify = (stored: string, password: string) =>
    limit(() => argon2.verify(stored, password).catch(() => false));
  return {
    hash,
    verify,
    async verifyAgainstNothing(password) {
      dummyHash ??= hash('dummy password that no account has');
      await verify(await dummyHash, password);
    },
  };
}
