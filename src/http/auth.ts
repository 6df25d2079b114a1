/**
 * Optional bearer-token authentication. With a token configured, a request is authorised by
 * `Authorization: Bearer <token>`, or by the dashboard cookie. A browser gets the cookie by opening
 * `/?token=<token>` once: the answer sets `topicstream_session` (HttpOnly, SameSite=Strict) and
 * redirects to `/`, so the page's own API calls carry it. The cookie holds an HMAC of the token, not
 * the token; changing the token invalidates every cookie. Comparisons are constant-time.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';

export const SESSION_COOKIE = 'topicstream_session';
/** The cookie's lifetime: a week, then `/?token=` again. */
const COOKIE_MAX_AGE_SECONDS = 7 * 24 * 3600;

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time equality of two strings of any lengths (both are hashed to 32 bytes first). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** The bearer credential of an Authorization header, if it has one. */
export function bearerOf(header: string | undefined): string | undefined {
  const m = header ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
  return m?.[1];
}

/** The value of one cookie of a Cookie header. */
export function cookieOf(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export class TokenAuth {
  private readonly session: string | undefined;

  constructor(private readonly token: string | undefined) {
    this.session = token === undefined ? undefined : createHmac('sha256', token).update('topicstream dashboard session').digest('base64url');
  }

  get enabled(): boolean {
    return this.token !== undefined;
  }

  /** True when no token is configured, or the request carries it (header or dashboard cookie). */
  allows(req: http.IncomingMessage): boolean {
    if (this.token === undefined || this.session === undefined) return true;
    const bearer = bearerOf(req.headers.authorization);
    if (bearer !== undefined) return safeEqual(bearer, this.token);
    const cookie = cookieOf(req.headers.cookie, SESSION_COOKIE);
    return cookie !== undefined && safeEqual(cookie, this.session);
  }

  /** True when `candidate` (a `?token=` value) is the configured token. */
  matches(candidate: string): boolean {
    return this.token !== undefined && safeEqual(candidate, this.token);
  }

  /** The Set-Cookie value that authorises the dashboard. */
  sessionCookie(): string {
    if (this.session === undefined) throw new Error('no token configured: no session cookie to set');
    return `${SESSION_COOKIE}=${this.session}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${COOKIE_MAX_AGE_SECONDS}`;
  }
}
