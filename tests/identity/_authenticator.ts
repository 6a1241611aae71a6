/**
 * A software WebAuthn authenticator for tests: an ECDSA P-256 key made with WebCrypto, a
 * "none" attestation for registration and signed assertions for sign-in, encoded as a browser
 * would hand them to the server (base64url JSON, CBOR attestation object, DER signature).
 */

const enc = new TextEncoder();

export function b64url(b: Uint8Array): string {
  return btoa(String.fromCharCode(...b)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
export function fromB64url(s: string): Uint8Array {
  const t = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
  return Uint8Array.from(t, (c) => c.charCodeAt(0));
}

/** Minimal CBOR (RFC 8949): unsigned/negative ints, byte and text strings, maps. */
type CborValue = number | string | Uint8Array | Map<CborValue, CborValue>;
function cbor(v: CborValue): number[] {
  const head = (major: number, n: number): number[] => {
    if (n < 24) return [(major << 5) | n];
    if (n < 256) return [(major << 5) | 24, n];
    if (n < 65536) return [(major << 5) | 25, n >> 8, n & 255];
    throw new Error("too long");
  };
  if (typeof v === "number") return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === "string") {
    const b = enc.encode(v);
    return [...head(3, b.length), ...b];
  }
  if (v instanceof Uint8Array) return [...head(2, v.length), ...v];
  const out = head(5, v.size);
  for (const [k, x] of v) out.push(...cbor(k), ...cbor(x));
  return out;
}

async function sha256(b: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", b as BufferSource));
}

/** IEEE P1363 (r‖s) → ASN.1 DER, as WebAuthn signatures are. */
function toDer(sig: Uint8Array): Uint8Array {
  const int = (x: Uint8Array) => {
    let i = 0;
    while (i < x.length - 1 && x[i] === 0) i++;
    let y = x.slice(i);
    if (y[0] & 0x80) y = Uint8Array.from([0, ...y]);
    return [0x02, y.length, ...y];
  };
  const body = [...int(sig.slice(0, 32)), ...int(sig.slice(32))];
  return Uint8Array.from([0x30, body.length, ...body]);
}

export class SoftAuthenticator {
  credentialId = crypto.getRandomValues(new Uint8Array(32));
  counter = 0;
  userHandle: Uint8Array | null = null;
  #keys!: CryptoKeyPair;

  constructor(readonly origin = "http://localhost", readonly rpId = "localhost") {}

  #flags(uv: boolean, attested = false): number {
    return 0x01 | (uv ? 0x04 : 0) | (attested ? 0x40 : 0);
  }

  /** The browser's JSON for navigator.credentials.create() answering these options. */
  async register(
    options: { challenge: string; user: { id: string }; rp: { id?: string } },
    opts: { uv?: boolean; origin?: string } = {},
  ) {
    this.#keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
      "sign",
      "verify",
    ]) as CryptoKeyPair;
    this.userHandle = fromB64url(options.user.id);
    const raw = new Uint8Array(await crypto.subtle.exportKey("raw", this.#keys.publicKey));
    const cose = new Map<CborValue, CborValue>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, raw.slice(1, 33)],
      [-3, raw.slice(33, 65)],
    ]);
    const authData = Uint8Array.from([
      ...await sha256(enc.encode(options.rp.id ?? this.rpId)),
      this.#flags(opts.uv ?? true, true),
      0,
      0,
      0,
      0,
      ...new Uint8Array(16), // AAGUID
      this.credentialId.length >> 8,
      this.credentialId.length & 255,
      ...this.credentialId,
      ...cbor(cose),
    ]);
    const attestationObject = Uint8Array.from(cbor(
      new Map<CborValue, CborValue>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", authData],
      ]),
    ));
    const clientDataJSON = this.#clientData("webauthn.create", options.challenge, opts.origin);
    return this.#credentialJson(clientDataJSON, {
      attestationObject: b64url(attestationObject),
      transports: ["internal"],
    });
  }

  /** The client data the browser signs over: the ceremony, the server's challenge, the origin. */
  #clientData(type: string, challenge: string, origin?: string): Uint8Array {
    return enc.encode(JSON.stringify({
      type,
      challenge,
      origin: origin ?? this.origin,
      crossOrigin: false,
    }));
  }

  /** The browser's JSON for this credential, with the ceremony's own response fields. */
  #credentialJson<R extends Record<string, unknown>>(clientDataJSON: Uint8Array, response: R) {
    const id = b64url(this.credentialId);
    return {
      id,
      rawId: id,
      type: "public-key",
      clientExtensionResults: {},
      response: { clientDataJSON: b64url(clientDataJSON), ...response },
    };
  }

  /** The browser's JSON for navigator.credentials.get() answering these options. */
  async assert(
    options: { challenge: string; rpId?: string },
    opts: { uv?: boolean; origin?: string } = {},
  ) {
    this.counter++;
    const c = this.counter;
    const authData = Uint8Array.from([
      ...await sha256(enc.encode(options.rpId ?? this.rpId)),
      this.#flags(opts.uv ?? true),
      (c >>> 24) & 255,
      (c >>> 16) & 255,
      (c >>> 8) & 255,
      c & 255,
    ]);
    const clientDataJSON = this.#clientData("webauthn.get", options.challenge, opts.origin);
    const signed = Uint8Array.from([...authData, ...await sha256(clientDataJSON)]);
    const sig = new Uint8Array(
      await crypto.subtle.sign(
        { name: "ECDSA", hash: "SHA-256" },
        this.#keys.privateKey,
        signed as BufferSource,
      ),
    );
    return this.#credentialJson(clientDataJSON, {
      authenticatorData: b64url(authData),
      signature: b64url(toDer(sig)),
      userHandle: this.userHandle ? b64url(this.userHandle) : undefined,
    });
  }
}
