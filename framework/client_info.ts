/**
 * Who is on the other end of a request: `ctx.info`. The direct peer is the TCP address Deno.serve
 * reports. `X-Forwarded-For` is believed only when that peer is a configured trusted proxy, and
 * then only up to the rightmost address that is not itself a trusted proxy: everything to the left
 * of it was written by the client and proves nothing.
 */

export interface RemoteAddr {
  hostname: string;
  port: number;
  /** "tcp", "unix", or "none" for requests made in-process (tests, benchmarks). */
  transport: string;
}

export interface RequestInfo {
  /** The direct peer of the connection. */
  remoteAddr: RemoteAddr;
  /** The client's address: the peer, or the address a trusted proxy forwarded. */
  clientIp: string;
}

/** What Deno.serve passes to its handler (only the part used here). */
export interface ServeInfo {
  remoteAddr: Deno.Addr | RemoteAddr;
}

const NO_PEER: RemoteAddr = Object.freeze({ hostname: "local", port: 0, transport: "none" });
const LOCAL: RequestInfo = Object.freeze({ remoteAddr: NO_PEER, clientIp: "local" });

type Range = { v6: boolean; bits: bigint; prefix: number };

/** Checks addresses against a list of IPs and CIDR ranges ("10.0.0.0/8", "::1", "unix"). */
export class TrustedProxies {
  readonly #ranges: Range[] = [];
  readonly #unix: boolean = false;
  constructor(list: readonly string[] = []) {
    for (const entry of list) {
      if (entry === "unix") {
        this.#unix = true;
        continue;
      }
      const r = parseRange(entry);
      if (!r) throw new Error(`Not an IP address or CIDR range: ${entry}`);
      this.#ranges.push(r);
    }
  }

  get empty(): boolean {
    return !this.#ranges.length && !this.#unix;
  }

  has(addr: string): boolean {
    if (addr === "unix") return this.#unix;
    const ip = parseIp(addr);
    if (!ip) return false;
    return this.#ranges.some((r) =>
      r.v6 === ip.v6 && (r.prefix === 0 ||
        (r.bits >> BigInt((r.v6 ? 128 : 32) - r.prefix)) ===
          (ip.bits >> BigInt((r.v6 ? 128 : 32) - r.prefix)))
    );
  }
}

/** Whether `entry` is an IP address or CIDR range TrustedProxies accepts. */
export function isIpOrCidr(entry: string): boolean {
  return entry === "unix" || parseRange(entry) !== null;
}

/** The info of a request served with `serve` (absent for in-process requests). */
export function requestInfo(
  req: Request,
  serve: ServeInfo | undefined,
  trusted: TrustedProxies,
): RequestInfo {
  if (!serve?.remoteAddr) return LOCAL;
  const a = serve.remoteAddr;
  // Deno's NetAddr already has this shape: used as is (no copy on the hot path).
  const remoteAddr: RemoteAddr = "hostname" in a
    ? a
    : { hostname: "unix", port: 0, transport: a.transport };
  let clientIp = remoteAddr.hostname;
  if (!trusted.empty && trusted.has(clientIp)) {
    const xff = req.headers.get("x-forwarded-for");
    if (xff) {
      const hops = xff.split(",");
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = stripPort(hops[i].trim());
        // A malformed hop was not written by a proxy we trust: stop at the last good one.
        if (!parseIp(hop)) break;
        clientIp = hop;
        if (!trusted.has(hop)) break;
      }
    }
  }
  return { remoteAddr, clientIp };
}

function stripPort(hop: string): string {
  // "[2001:db8::1]:443" and "203.0.113.7:5123" (some proxies add the port).
  if (hop.startsWith("[")) return hop.slice(1, hop.indexOf("]") >>> 0);
  const colon = hop.indexOf(":");
  return colon > 0 && colon === hop.lastIndexOf(":") ? hop.slice(0, colon) : hop;
}

function parseRange(entry: string): Range | null {
  const [addr, len, extra] = entry.trim().split("/");
  if (extra !== undefined) return null;
  const ip = parseIp(addr);
  if (!ip) return null;
  const max = ip.v6 ? 128 : 32;
  let prefix = max;
  if (len !== undefined) {
    if (!/^\d{1,3}$/.test(len) || Number(len) > max) return null;
    prefix = Number(len);
  }
  return { ...ip, prefix };
}

/** An IPv4 or IPv6 address as bits (IPv4-mapped IPv6 addresses count as IPv4), or null. */
export function parseIp(s: string): { v6: boolean; bits: bigint } | null {
  if (!s || s.length > 45) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(s);
  if (mapped) s = mapped[1];
  if (s.includes(".") && !s.includes(":")) {
    const parts = s.split(".");
    if (parts.length !== 4) return null;
    let bits = 0n;
    for (const p of parts) {
      if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
      bits = (bits << 8n) | BigInt(Number(p));
    }
    return { v6: false, bits };
  }
  if (!/^[0-9a-fA-F:]+$/.test(s) || !s.includes(":")) return null;
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  let bits = 0n;
  for (const g of [...head, ...Array(missing).fill("0"), ...tail]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    bits = (bits << 16n) | BigInt(parseInt(g, 16));
  }
  return { v6: true, bits };
}
