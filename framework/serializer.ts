/**
 * Island props serializer: `stringify` runs on the server over the props of every island of a
 * page at once; `parse` runs in the browser (keep it small: it ships to phones, so this file
 * imports nothing at runtime and `parse` does not touch the stringify half).
 *
 * Format: a JSON array of entries; entry 0 is the root value. Containers hold references, which
 * are entry indexes (non-negative integers), never values, so anything reached twice (an object,
 * a string, a signal) is written once: shared and circular references survive the trip.
 *
 *   1.5 | "text" | true | false | null   that primitive (finite numbers other than -0)
 *   [r0, r1, …]                          array (a hole is written as a reference to undefined)
 *   {"key": r, …}                        plain object (also null-prototype; parses as plain)
 *   ["U"]                                undefined
 *   ["N", "NaN" | "Infinity" | "-Infinity" | "-0"]
 *   ["B", "-123"]                        BigInt, decimal
 *   ["D", ms | null]                     Date; null for an invalid Date
 *   ["R", source, flags]                 RegExp
 *   ["L", href]                          URL
 *   ["A", base64]                        Uint8Array
 *   ["M", k0, v0, k1, v1, …]             Map
 *   ["S", r0, r1, …]                     Set
 *   ["$", r]                             signal: one client signal per server signal
 *
 * An untagged array starts with a number (or is empty), a tagged one with a string.
 * Example: stringify([{ a: 1, b: "x" }, 1]) === '[[1,2],{"a":2,"b":3},1,"x"]'.
 * `<`, U+2028 and U+2029 are written as \u escapes, so the text is safe inside
 * <script type="application/json"> (no "</script>" or "<!--" can appear).
 *
 * Parsing never assigns through a setter: objects are the ones JSON.parse built (their
 * "__proto__" key is an own data property), filled in place, so props cannot pollute prototypes.
 */

/** A step from the root: a property name, an array index, or a Map/Set iteration position. */
export type PathKey = string | number;

/**
 * Thrown by `stringify` for a value islands cannot receive. `path` leads from the root to it:
 * object keys, array indexes, "value" into a signal, the position into a Set, and
 * [position, 0 | 1] into a Map (its key or its value), as in `[...map][position][0 | 1]`.
 */
export class SerializeError extends Error {
  path: PathKey[];
  constructor(what: string, path: PathKey[]) {
    super(`${what} at ${formatPath(path)} cannot be serialized into island props`);
    this.name = "SerializeError";
    this.path = path;
  }
}

export interface StringifyOptions {
  /** Says which values are signals; default: Preact signals (`brand` + `peek`). */
  isSignal?: (value: unknown) => boolean;
}

export interface ParseOptions {
  /** Creates a client signal holding `value`; needed when the text contains signals. */
  signal?: (value: unknown) => unknown;
}

const NEG_ZERO = {}; // stands for -0 in the dedup Map, whose keys treat -0 as 0
const SIGNAL_BRAND = /* @__PURE__ */ Symbol.for("preact-signals");

const isPreactSignal = (v: unknown): boolean =>
  typeof v === "object" && v !== null && (v as { brand?: unknown }).brand === SIGNAL_BRAND &&
  typeof (v as { peek?: unknown }).peek === "function";

/** Serializes `value` into the JSON text described at the top of this file. */
export function stringify(value: unknown, opts: StringifyOptions = {}): string {
  const isSignal = opts.isSignal ?? isPreactSignal;
  const values: unknown[] = []; // entry index → value
  const parents: number[] = []; // entry index → entry that first referenced it (for error paths)
  const keys: (PathKey | PathKey[])[] = []; // entry index → step from that parent
  const seen = new Map<unknown, number>();
  const quoted = new Map<string, string>(); // object key → its JSON text and ":" (keys repeat)

  const ref = (v: unknown, parent: number, key: PathKey | PathKey[]): number => {
    const id = v === 0 && 1 / v < 0 ? NEG_ZERO : v;
    let i = seen.get(id);
    if (i === undefined) {
      seen.set(id, i = values.length);
      values.push(v);
      parents.push(parent);
      keys.push(key);
    }
    return i;
  };

  const fail = (what: string, i: number): never => {
    const steps = [];
    for (; i > 0; i = parents[i]) steps.push(keys[i]);
    throw new SerializeError(what, steps.reverse().flat());
  };

  // Encodes one entry; new values it references are queued behind it (breadth-first, no
  // recursion, so deep props cannot overflow the stack).
  const encode = (v: any, i: number): string => {
    switch (typeof v) {
      case "string":
        return JSON.stringify(v);
      case "number":
        if (v === 0 && 1 / v < 0) return '["N","-0"]';
        return Number.isFinite(v) ? String(v) : `["N","${v}"]`;
      case "boolean":
        return v ? "true" : "false";
      case "undefined":
        return '["U"]';
      case "bigint":
        return `["B","${v}"]`;
      case "symbol":
        return fail(`symbol ${String(v)}`, i);
    }
    if (v === null) return "null";
    if (isSignal(v)) {
      return `["$",${ref(typeof v.peek === "function" ? v.peek() : v.value, i, "value")}]`;
    }
    if (typeof v === "function") return fail(`function${v.name ? " " + v.name : ""}`, i);
    if (Array.isArray(v)) {
      let s = "[";
      for (let j = 0; j < v.length; j++) s += (j ? "," : "") + ref(v[j], i, j);
      return s + "]";
    }
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) {
      // Preact vnodes are plain objects marked with an own `constructor: undefined`.
      if (Object.hasOwn(v, "constructor") && v.constructor === undefined && "type" in v) {
        return fail("JSX (pass it as a slot)", i);
      }
      let s = "{";
      let sep = "";
      for (const k of Object.keys(v)) {
        let q = quoted.get(k);
        if (q === undefined) quoted.set(k, q = JSON.stringify(k) + ":");
        s += sep + q + ref(v[k], i, k);
        sep = ",";
      }
      return s + "}";
    }
    if (v instanceof Date) {
      const t = v.getTime();
      return `["D",${Number.isNaN(t) ? null : t}]`;
    }
    if (v instanceof Map) {
      let s = '["M"';
      let j = 0;
      for (const [k, x] of v) {
        s += "," + ref(k, i, [j, 0]) + "," + ref(x, i, [j, 1]);
        j++;
      }
      return s + "]";
    }
    if (v instanceof Set) {
      let s = '["S"';
      let j = 0;
      for (const x of v) s += "," + ref(x, i, j++);
      return s + "]";
    }
    if (v instanceof RegExp) return `["R",${JSON.stringify(v.source)},"${v.flags}"]`;
    if (v instanceof URL) return `["L",${JSON.stringify(v.href)}]`;
    if (v instanceof Uint8Array) return `["A","${toBase64(v)}"]`;
    const name = Object.hasOwn(proto, "constructor") && proto.constructor?.name;
    return fail(name ? `instance of class ${name}` : "object with a custom prototype", i);
  };

  ref(value, -1, []);
  const out: string[] = [];
  for (let i = 0; i < values.length; i++) out.push(encode(values[i], i));
  return `[${out.join(",")}]`.replace(
    /[<\u2028\u2029]/g,
    (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
  );
}

/** Rebuilds the value from `stringify`'s text; throws SyntaxError on a malformed text. */
export function parse(text: string, opts: ParseOptions = {}): unknown {
  const bad = (why: string) => new SyntaxError("Malformed island props: " + why);
  let list: any;
  try {
    list = JSON.parse(text);
  } catch (e) {
    throw bad((e as Error).message);
  }
  if (!Array.isArray(list) || !list.length) throw bad("expected a non-empty JSON array");
  const n = list.length;
  const vals: any[] = new Array(n);
  // 1: container to fill; 2: signal to create; 3: signal being created; 4: same, placeholder made
  const state = new Uint8Array(n);
  const at = (r: any): number => {
    if (Number.isInteger(r) && r >= 0 && r < n) return r;
    throw bad("bad reference " + JSON.stringify(r));
  };

  // Pass 1: every entry gets its value; containers start empty so that any entry can point at them.
  for (let i = 0; i < n; i++) {
    const e = list[i];
    let v = e;
    if (Array.isArray(e) && typeof e[0] === "string") {
      const a = e[1];
      switch (e[0]) {
        case "U":
          v = undefined;
          break;
        case "N":
          v = Number(a);
          break;
        case "B":
          v = BigInt(a);
          break;
        case "D":
          v = new Date(a ?? NaN);
          break;
        case "R":
          v = new RegExp(a, e[2]);
          break;
        case "L":
          v = new URL(a);
          break;
        case "A": {
          const s = atob(a);
          v = new Uint8Array(s.length);
          for (let j = 0; j < s.length; j++) v[j] = s.charCodeAt(j);
          break;
        }
        case "M":
          v = new Map();
          state[i] = 1;
          break;
        case "S":
          v = new Set();
          state[i] = 1;
          break;
        case "$":
          state[i] = 2;
          break;
        default:
          throw bad("unknown tag " + JSON.stringify(e[0]));
      }
    } else if (typeof e === "object" && e !== null) state[i] = 1;
    vals[i] = v;
  }

  // Pass 2: signals, created with their value (a container may still be empty: only its
  // identity matters). A signal whose value is a signal needs that one first; a loop of signals
  // gets a placeholder signal whose value is set once known.
  const signal = (i: number): unknown => {
    if (!opts.signal) throw bad("it contains a signal but no `signal` option was given");
    if (state[i] === 3) {
      state[i] = 4;
      return vals[i] = opts.signal(undefined);
    }
    if (state[i] === 4) return vals[i];
    state[i] = 3;
    const r = at(list[i][1]);
    const v = state[r] > 1 ? signal(r) : vals[r];
    if (state[i] === 4) vals[i].value = v;
    else vals[i] = opts.signal(v);
    state[i] = 0;
    return vals[i];
  };
  for (let i = 0; i < n; i++) if (state[i] === 2) signal(i);

  // Pass 3: fill containers in place (for arrays and objects, the parsed entry itself).
  for (let i = 0; i < n; i++) {
    if (state[i] !== 1) continue;
    const e = list[i];
    const v = vals[i];
    if (v instanceof Map) {
      for (let j = 1; j < e.length; j += 2) v.set(vals[at(e[j])], vals[at(e[j + 1])]);
    } else if (v instanceof Set) {
      for (let j = 1; j < e.length; j++) v.add(vals[at(e[j])]);
    } else if (Array.isArray(e)) {
      for (let j = 0; j < e.length; j++) e[j] = vals[at(e[j])];
    } else {
      for (const k of Object.keys(e)) e[k] = vals[at(e[k])];
    }
  }
  return vals[0];
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

function formatPath(path: PathKey[]): string {
  let s = "";
  for (const k of path) {
    if (typeof k === "number") s += `[${k}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(k)) s += (s ? "." : "") + k;
    else s += `[${JSON.stringify(k)}]`;
  }
  return s || "the root";
}
