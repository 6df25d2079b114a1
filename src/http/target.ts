/**
 * Parsing the request target (`req.url`) without trusting it: origin-form (`/path?query`) and
 * absolute-form (`http://host/path?query`) are accepted, anything else is a 400. The path is never
 * resolved against a base URL (`//x` would become the host `x`), never percent-decoded (routes match
 * raw paths), and a malformed escape such as `%zz` is just a path no route has.
 */

/** Longest target accepted (bytes of the request line's target); longer is a 414. */
export const MAX_TARGET_LENGTH = 8192;

export type Target = { ok: true; path: string; query: URLSearchParams } | { ok: false; code: 400 | 414; message: string };

const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;

export function parseTarget(raw: string | undefined): Target {
  if (raw === undefined || raw === '') return { ok: false, code: 400, message: 'empty request target' };
  if (raw.length > MAX_TARGET_LENGTH) return { ok: false, code: 414, message: `request target longer than ${MAX_TARGET_LENGTH} characters` };
  let rest = raw;
  const abs = ABSOLUTE_FORM.exec(raw);
  if (abs) rest = raw.slice(abs[0].length) || '/';
  if (!rest.startsWith('/')) return { ok: false, code: 400, message: 'the request target must be a path starting with /' };
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  const path = q >= 0 ? rest.slice(0, q) : rest;
  // URLSearchParams never throws: a bad escape (%zz) stays as it is, like browsers do
  const query = new URLSearchParams(q >= 0 ? rest.slice(q + 1) : '');
  return { ok: true, path, query };
}

/** A query parameter the client got wrong: the handler answers 400 with its message. */
export class BadRequestError extends Error {}

/** An integer query parameter in [min, max]; missing: `fallback`; anything else is a 400. */
export function intParam(query: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
  const raw = query.get(name);
  if (raw === null || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new BadRequestError(`${name} must be an integer from ${min} to ${max}`);
  return n;
}

/** A boolean query parameter: 1/true or 0/false; missing: false; anything else is a 400. */
export function flagParam(query: URLSearchParams, name: string): boolean {
  const raw = query.get(name);
  if (raw === null || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new BadRequestError(`${name} must be 1, true, 0 or false`);
}
