/**
 * The registry token flow (distribution's "token authentication"): parse a `WWW-Authenticate` challenge,
 * fetch an anonymous pull token from its realm for the scope asked, and keep the token until it expires.
 * Anonymous only: no credentials are ever read or sent.
 */

export interface Challenge {
  /** Lower-cased: `bearer`, `basic`. */
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Parses a `WWW-Authenticate` header into challenges (`Bearer realm="...",service="...",scope="..."`).
 * Quoted values may contain commas and escaped quotes; unknown syntax yields what could be read.
 */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  if (!header) return [];
  const text = Array.isArray(header) ? header.join(', ') : header;
  const out: Challenge[] = [];
  let i = 0;
  const n = text.length;
  const skipWs = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === ',')) i++;
  };
  while (i < n) {
    skipWs();
    const schemeStart = i;
    while (i < n && /[A-Za-z0-9_-]/.test(text[i])) i++;
    if (i === schemeStart) {
      i++;
      continue;
    }
    const scheme = text.slice(schemeStart, i).toLowerCase();
    const params: Record<string, string> = {};
    for (;;) {
      while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
      const keyStart = i;
      while (i < n && /[A-Za-z0-9_.-]/.test(text[i])) i++;
      const key = text.slice(keyStart, i).toLowerCase();
      while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
      if (!key || text[i] !== '=') {
        // A new scheme starts here (or the header ended).
        i = keyStart;
        break;
      }
      i++;
      while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
      let value = '';
      if (text[i] === '"') {
        i++;
        while (i < n && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < n) i++;
          value += text[i++];
        }
        i++;
      } else {
        const vs = i;
        while (i < n && text[i] !== ',' && text[i] !== ' ') i++;
        value = text.slice(vs, i);
      }
      params[key] = value;
      while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
      if (text[i] === ',') i++;
    }
    out.push({ scheme, params });
  }
  return out;
}

interface CachedToken {
  readonly token: string;
  readonly expires: number;
}

/** Tokens by realm, service and scope, each kept until shortly before it expires. */
export class TokenCache {
  private readonly tokens = new Map<string, CachedToken>();

  constructor(private readonly now: () => number = Date.now) {}

  static key(realm: string, service: string | undefined, scope: string): string {
    return `${realm}\n${service ?? ''}\n${scope}`;
  }

  get(key: string): string | undefined {
    const t = this.tokens.get(key);
    if (!t) return undefined;
    if (t.expires <= this.now()) {
      this.tokens.delete(key);
      return undefined;
    }
    return t.token;
  }

  set(key: string, token: string, expiresInSeconds: number | undefined): void {
    // distribution's default lifetime is 60 s; keep a margin so a token never expires in flight.
    const life = Math.max(10, Math.min(expiresInSeconds && expiresInSeconds > 0 ? expiresInSeconds : 60, 3600)) - 5;
    if (this.tokens.size > 500) this.tokens.clear();
    this.tokens.set(key, { token, expires: this.now() + life * 1000 });
  }
}

/** The token in a token service answer (`token` or the OAuth2 `access_token`), with its lifetime. */
export function readTokenAnswer(body: unknown): { token: string; expiresIn: number | undefined } | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const o = body as Record<string, unknown>;
  const token = typeof o.token === 'string' && o.token ? o.token : typeof o.access_token === 'string' && o.access_token ? o.access_token : undefined;
  if (!token) return undefined;
  const exp = typeof o.expires_in === 'number' ? o.expires_in : undefined;
  return { token, expiresIn: exp };
}
