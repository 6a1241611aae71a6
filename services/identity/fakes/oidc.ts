/**
 * A local OpenID Connect provider that speaks the protocol, standing in for Google or Facebook
 * in tests and on a developer's machine (like services/payments/fakes): discovery
 * (/.well-known/openid-configuration), /authorize (code flow with PKCE S256 required; the
 * "person" who consents is `fake.person`), /token (client secret, code, redirect URI and PKCE
 * verifier checked; an RS256 id_token with the nonce) and /jwks. Listens on a loopback port.
 */

import { assertNotProduction } from "@/services/platform/production_guard.ts";

export interface FakePerson {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce?: string;
  person: FakePerson;
  expires: number;
}

const enc = new TextEncoder();
const b64url = (b: Uint8Array) =>
  btoa(String.fromCharCode(...b)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const b64json = (o: unknown) => b64url(enc.encode(JSON.stringify(o)));

/** An RS256 key pair, as a real provider signs ID tokens with. */
const rsaKeyPair = () =>
  crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  ) as Promise<CryptoKeyPair>;

export class FakeOidcProvider {
  readonly issuer: string;
  /** Who signs in at the next /authorize (tests change it). */
  person: FakePerson = { sub: "fake-1", email: "fake@example.com", email_verified: true };
  /** Tests: make the next id_token carry another nonce (a replayed or mixed-up response). */
  wrongNonce = false;
  /** Tests: sign the next id_token with a key that is not in the JWKS (a forged token). */
  forgeSignature = false;
  #server: Deno.HttpServer;
  #keys: Promise<CryptoKeyPair>;
  #grants = new Map<string, Grant>();

  /**
   * On the embedded demo the provider asks who signs in (a small form: e-mail and name) instead
   * of taking `person`, so that anyone trying the demo can make accounts of their own.
   */
  readonly interactive: boolean;
  /** The provider's name on its page ("Google", "Facebook"). */
  readonly label: string;

  constructor(
    readonly client: { id: string; secret: string },
    opts: { hostname?: string; interactive?: boolean; label?: string } = {},
  ) {
    this.interactive = opts.interactive ?? false;
    this.label = opts.label ?? "OpenID Connect";
    this.#keys = rsaKeyPair();
    this.#server = Deno.serve(
      { hostname: opts.hostname ?? "127.0.0.1", port: 0, onListen: () => {} },
      (req) => this.#handle(req),
    );
    const addr = this.#server.addr as Deno.NetAddr;
    this.issuer = `http://${addr.hostname}:${addr.port}`;
  }

  async stop(): Promise<void> {
    await this.#server.shutdown();
  }

  async #handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    switch (url.pathname) {
      case "/.well-known/openid-configuration":
        return Response.json({
          issuer: this.issuer,
          authorization_endpoint: `${this.issuer}/authorize`,
          token_endpoint: `${this.issuer}/token`,
          jwks_uri: `${this.issuer}/jwks`,
          response_types_supported: ["code"],
          subject_types_supported: ["public"],
          id_token_signing_alg_values_supported: ["RS256"],
          code_challenge_methods_supported: ["S256"],
          token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
          scopes_supported: ["openid", "email", "profile"],
        });
      case "/jwks": {
        const jwk = await crypto.subtle.exportKey("jwk", (await this.#keys).publicKey);
        return Response.json({
          keys: [{ kty: jwk.kty, n: jwk.n, e: jwk.e, kid: "k1", alg: "RS256", use: "sig" }],
        });
      }
      case "/authorize":
        if (!this.interactive) return this.#authorize(url.searchParams);
        if (req.method === "GET") return this.#askWho(url.searchParams);
        return await this.#consent(req);
      case "/token":
        return req.method === "POST" ? await this.#token(req) : new Response(null, { status: 405 });
    }
    return new Response("not found", { status: 404 });
  }

  /** The demo's sign-in page: who is signing in (the request's parameters ride along hidden). */
  #askWho(q: URLSearchParams): Response {
    const esc = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const hidden = [...q].map(([k, v]) =>
      `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`
    ).join("");
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(this.label)} (local demo provider)</title></head>
<body style="font-family:sans-serif;max-width:24rem;margin:2rem auto;padding:0 1rem">
<h1>${esc(this.label)} — local demo provider</h1>
<p>This stands in for ${esc(this.label)} on the demo. Sign in as:</p>
<form method="post" action="/authorize">${hidden}
<p><label>E-mail<br><input name="email" type="email" required value="demo.social@example.com"></label></p>
<p><label>Name<br><input name="name" required value="Demo Customer"></label></p>
<p><button type="submit">Continue</button></p></form></body></html>`;
    return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
  }

  /** The demo form's answer: the person typed, then the usual code back to the client. */
  async #consent(req: Request): Promise<Response> {
    const form = new URLSearchParams(await req.text());
    const email = (form.get("email") ?? "").trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      return new Response("Give an e-mail address", { status: 400 });
    }
    const name = (form.get("name") ?? "").trim().slice(0, 80) || email;
    this.person = { sub: `demo-${email}`, email, email_verified: true, name };
    return this.#authorize(form);
  }

  #authorize(q: URLSearchParams): Response {
    const redirectUri = q.get("redirect_uri") ?? "";
    if (q.get("client_id") !== this.client.id || !redirectUri) {
      return new Response("unknown client or redirect_uri", { status: 400 });
    }
    const back = new URL(redirectUri);
    const state = q.get("state");
    if (state) back.searchParams.set("state", state);
    const challenge = q.get("code_challenge");
    if (
      q.get("response_type") !== "code" || !challenge || q.get("code_challenge_method") !== "S256"
    ) {
      back.searchParams.set("error", "invalid_request");
      return Response.redirect(back.href, 302);
    }
    const code = b64url(crypto.getRandomValues(new Uint8Array(24)));
    this.#grants.set(code, {
      clientId: this.client.id,
      redirectUri,
      challenge,
      nonce: q.get("nonce") ?? undefined,
      person: { ...this.person },
      expires: Date.now() + 60_000,
    });
    back.searchParams.set("code", code);
    return Response.redirect(back.href, 302);
  }

  async #token(req: Request): Promise<Response> {
    const body = new URLSearchParams(await req.text());
    let id = body.get("client_id");
    let secret = body.get("client_secret");
    const basic = req.headers.get("authorization");
    if (basic?.startsWith("Basic ")) {
      const [u, p] = atob(basic.slice(6)).split(":").map(decodeURIComponent);
      id = u;
      secret = p;
    }
    const fail = (error: string) => Response.json({ error }, { status: 400 });
    if (id !== this.client.id || secret !== this.client.secret) {
      return Response.json({ error: "invalid_client" }, { status: 401 });
    }
    if (body.get("grant_type") !== "authorization_code") return fail("unsupported_grant_type");
    const code = body.get("code") ?? "";
    const g = this.#grants.get(code);
    this.#grants.delete(code);
    if (!g || g.expires < Date.now() || g.redirectUri !== body.get("redirect_uri")) {
      return fail("invalid_grant");
    }
    const verifier = body.get("code_verifier") ?? "";
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(verifier)));
    if (b64url(digest) !== g.challenge) return fail("invalid_grant");
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: this.issuer,
      aud: this.client.id,
      iat: now,
      exp: now + 300,
      nonce: this.wrongNonce ? "another-nonce" : g.nonce,
      ...g.person,
    };
    const input = `${b64json({ alg: "RS256", typ: "JWT", kid: "k1" })}.${b64json(claims)}`;
    const key = this.forgeSignature
      ? (await rsaKeyPair()).privateKey
      : (await this.#keys).privateKey;
    const sig = new Uint8Array(
      await crypto.subtle.sign(
        "RSASSA-PKCS1-v1_5",
        key,
        enc.encode(input),
      ),
    );
    return Response.json({
      access_token: b64url(crypto.getRandomValues(new Uint8Array(24))),
      token_type: "Bearer",
      expires_in: 300,
      id_token: `${input}.${b64url(sig)}`,
    }, { headers: { "cache-control": "no-store" } });
  }
}

export interface FakeSocial {
  /** OIDC_* settings pointing the app at the fakes. */
  config: Record<string, string>;
  issuers: { google: string; facebook: string };
  stop(): Promise<void>;
}

/**
 * "Continue with Google / Facebook" on the embedded demo: two local providers that ask who signs
 * in. Refused in production like every fake.
 */
export function startFakeSocial(
  opts: { hostname?: string; env?: Record<string, string | undefined> } = {},
): FakeSocial {
  assertNotProduction("The local Google/Facebook sign-in providers", opts.env);
  const secret = () => b64url(crypto.getRandomValues(new Uint8Array(18)));
  const google = new FakeOidcProvider({ id: "smartdairy-demo-google", secret: secret() }, {
    hostname: opts.hostname,
    interactive: true,
    label: "Google",
  });
  const facebook = new FakeOidcProvider({ id: "smartdairy-demo-facebook", secret: secret() }, {
    hostname: opts.hostname,
    interactive: true,
    label: "Facebook",
  });
  return {
    config: {
      OIDC_GOOGLE_ISSUER: google.issuer,
      OIDC_GOOGLE_CLIENT_ID: google.client.id,
      OIDC_GOOGLE_CLIENT_SECRET: google.client.secret,
      OIDC_FACEBOOK_ISSUER: facebook.issuer,
      OIDC_FACEBOOK_CLIENT_ID: facebook.client.id,
      OIDC_FACEBOOK_CLIENT_SECRET: facebook.client.secret,
    },
    issuers: { google: google.issuer, facebook: facebook.issuer },
    stop: async () => {
      await google.stop();
      await facebook.stop();
    },
  };
}

/** The demo wants the fakes when neither provider is configured. */
export function needsFakeSocial(config: {
  OIDC_GOOGLE_ISSUER?: string;
  OIDC_FACEBOOK_ISSUER?: string;
}): boolean {
  return !config.OIDC_GOOGLE_ISSUER && !config.OIDC_FACEBOOK_ISSUER;
}
