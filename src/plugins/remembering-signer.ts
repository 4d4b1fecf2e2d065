// @fastify/cookie's cookie signer with a memory of recent results, for the session and CSRF cookies of every request.
import { Signer } from '@fastify/cookie';
import { remembered } from '../lib/remembered.js';

type Unsigned = ReturnType<Signer['unsign']>;

/** Results are kept for this many cookies; then the memory starts afresh (a flood of made-up cookies only empties it). */
const rememberedCookies = 10_000;

/**
 * Every request carries the same few signed cookies again, and checking them meant an HMAC for each cookie plus one to
 * sign the session id anew: several percent of a small page. Signing is deterministic, so a result once computed for
 * a value stays right for as long as the secret does, which is the life of the process.
 */
export function createRememberingSigner(secret: string) {
  const signer = new Signer(secret, 'sha256');
  return {
    sign: remembered(rememberedCookies, (value: string): string => signer.sign(value)),
    unsign: remembered(rememberedCookies, (signedValue: string): Unsigned => Object.freeze(signer.unsign(signedValue))),
  };
}
