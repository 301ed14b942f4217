// Discord's HTTP interactions are signed: Ed25519 over `timestamp + raw body` with the
// application's public key (hex, 32 raw bytes). Node verifies Ed25519 natively; a raw key
// becomes a KeyObject by prefixing the fixed SPKI header for Ed25519.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Throws with the setting's name when the key is not 64 hex digits. */
export function publicKeyFromHex(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('DISCORD_PUBLIC_KEY must be the 64 hex digits shown as "Public Key" in the Discord Developer Portal');
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

/**
 * A signed request stays valid forever, so a captured one could be sent again: refuse a
 * timestamp (Unix seconds, which the signature covers) more than 5 minutes from now, either way.
 */
export const MAX_TIMESTAMP_SKEW_S = 300;

export function verifyDiscordSignature(key: KeyObject, signatureHex: string | undefined, timestamp: string | undefined, body: Buffer, nowMs = Date.now()): boolean {
  if (!signatureHex || !timestamp || !/^[0-9a-fA-F]{128}$/.test(signatureHex)) return false;
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_TIMESTAMP_SKEW_S) return false;
  try {
    return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}
