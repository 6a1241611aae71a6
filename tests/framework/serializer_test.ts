import assert from "node:assert/strict";
import { h } from "preact";
import { computed, effect, type Signal, signal } from "@preact/signals";
import { parse, SerializeError, stringify } from "@/framework/serializer.ts";

const roundTrip = <T>(v: T): T => parse(stringify(v), { signal }) as T;

function refusal(value: unknown): SerializeError {
  try {
    stringify(value);
  } catch (e) {
    assert.ok(e instanceof SerializeError, `expected SerializeError, got ${e}`);
    return e;
  }
  throw new assert.AssertionError({ message: "stringify did not refuse the value" });
}

Deno.test("serializer: primitives round trip", () => {
  const values = [
    null,
    true,
    false,
    0,
    1.5,
    -42,
    Number.MAX_SAFE_INTEGER,
    5e-324,
    NaN,
    Infinity,
    -Infinity,
    "",
    "plain",
    'quotes " and \\ backslash\n\ttabs',
    "বাংলা দুধ 🐄",
    undefined,
    0n,
    10n ** 30n,
    -5n,
  ];
  for (const v of values) assert.ok(Object.is(roundTrip(v), v), `round trip of ${String(v)}`);
  assert.ok(Object.is(roundTrip(-0), -0), "-0 keeps its sign");
  assert.ok(Object.is(roundTrip(0), 0), "0 stays positive");
  const both = roundTrip([0, -0, 0, -0]);
  assert.ok(Object.is(both[0], 0) && Object.is(both[1], -0) && Object.is(both[2], 0));
  assert.ok(Object.is(both[3], -0));
});

Deno.test("serializer: undefined properties and array holes", () => {
  const out = roundTrip({ a: undefined, b: 1 });
  assert.ok(Object.hasOwn(out, "a"), "undefined property kept as an own property");
  assert.equal(out.a, undefined);
  assert.deepEqual(Object.keys(out), ["a", "b"]);

  // deno-lint-ignore no-sparse-arrays
  const holes = roundTrip([1, , 3, undefined]);
  assert.equal(holes.length, 4);
  assert.deepEqual([...holes], [1, undefined, 3, undefined]);
});

Deno.test("serializer: Date, Map, Set, RegExp, URL, Uint8Array, BigInt", () => {
  const date = roundTrip(new Date("2024-03-01T05:06:07.089Z"));
  assert.ok(date instanceof Date);
  assert.equal(date.toISOString(), "2024-03-01T05:06:07.089Z");
  const invalid = roundTrip(new Date("not a date"));
  assert.ok(invalid instanceof Date && Number.isNaN(invalid.getTime()));

  const key = { id: 7 };
  const map = roundTrip(new Map<unknown, unknown>([["a", 1], [2, "two"], [key, [1n]]]));
  assert.ok(map instanceof Map);
  assert.deepEqual([...map.keys()].slice(0, 2), ["a", 2]);
  assert.equal(map.get("a"), 1);
  assert.equal(map.get(2), "two");
  const [, , [objKey, objValue]] = [...map];
  assert.deepEqual(objKey, { id: 7 });
  assert.deepEqual(objValue, [1n]);

  const set = roundTrip(new Set([1, "1", null, undefined]));
  assert.ok(set instanceof Set);
  assert.deepEqual([...set], [1, "1", null, undefined]);

  const re = roundTrip(/a\/b<\/script>[\u2028]+$/giu);
  assert.ok(re instanceof RegExp);
  assert.equal(re.source, /a\/b<\/script>[\u2028]+$/giu.source);
  assert.equal(re.flags, "giu");
  assert.ok(re.test("A/B</SCRIPT>\u2028"));

  const url = roundTrip(new URL("https://example.com/shop?q=দুধ&x=<y>#top"));
  assert.ok(url instanceof URL);
  assert.equal(url.href, new URL("https://example.com/shop?q=দুধ&x=<y>#top").href);

  for (const size of [0, 1, 2, 3, 4, 100_000]) {
    const bytes = new Uint8Array(size).map((_, i) => (i * 31 + 7) & 255);
    const back = roundTrip(bytes);
    assert.ok(back instanceof Uint8Array);
    assert.deepEqual([...back], [...bytes], `Uint8Array of ${size} bytes`);
  }
  // A view writes only its own bytes, not the whole underlying buffer.
  const view = roundTrip(new Uint8Array([9, 8, 7, 6, 5]).subarray(1, 3));
  assert.deepEqual([...view], [8, 7]);
});

Deno.test("serializer: nested and combined values", () => {
  const value = {
    cow: { tag: "BD-0042", born: new Date(Date.UTC(2021, 4, 2)), weightKg: 512.5 },
    yields: [[18.2, 17.9], [], [NaN, -0]],
    tags: new Set(["holstein", "fresh"]),
    prices: new Map([["milk", 9000n], ["ghee", 120000n]]),
    links: { self: new URL("https://dairy.example/cows/42"), pattern: /^BD-\d+$/ },
    empty: {},
    nested: { a: { b: { c: [undefined, null, { d: "deep" }] } } },
    bytes: new Uint8Array([1, 2, 3]),
  };
  assert.deepEqual(roundTrip(value), value);

  const nullProto = Object.assign(Object.create(null), { x: 1, y: [2] });
  assert.deepEqual({ ...roundTrip(nullProto) }, { x: 1, y: [2] });
});

Deno.test("serializer: documented format", () => {
  assert.equal(stringify([{ a: 1, b: "x" }, 1]), '[[1,2],{"a":2,"b":3},1,"x"]');
  // A repeated string is written once.
  const text = stringify(Array(50).fill("a fairly long repeated status label"));
  assert.equal(text.split("a fairly long repeated status label").length, 2);
});

Deno.test("serializer: shared references keep identity", () => {
  const cow = { tag: "BD-1" };
  const when = new Date(0);
  const tags = new Set(["a"]);
  const out: any = roundTrip({
    first: cow,
    second: cow,
    list: [cow, when, tags],
    byCow: new Map([[cow, when]]),
    inSet: new Set([cow, tags]),
    dates: [when, when],
  });
  assert.strictEqual(out.first, out.second);
  assert.strictEqual(out.list[0], out.first);
  assert.strictEqual(out.list[1], out.dates[0]);
  assert.strictEqual(out.dates[0], out.dates[1]);
  assert.strictEqual(out.byCow.get(out.first), out.dates[0]);
  assert.ok(out.inSet.has(out.first));
  assert.ok(out.inSet.has(out.list[2]));
  out.first.tag = "changed";
  assert.equal(out.list[0].tag, "changed");
});

Deno.test("serializer: circular objects, arrays, Maps and Sets", () => {
  const obj: Record<string, unknown> = { name: "loop" };
  obj.self = obj;
  const back = roundTrip(obj);
  assert.strictEqual(back.self, back);
  assert.equal(back.name, "loop");

  const arr: unknown[] = [1];
  arr.push(arr);
  const arrBack = roundTrip(arr);
  assert.strictEqual(arrBack[1], arrBack);

  const map = new Map<unknown, unknown>();
  map.set("me", map);
  map.set(map, "key is me");
  const mapBack = roundTrip(map);
  assert.strictEqual(mapBack.get("me"), mapBack);
  assert.equal(mapBack.get(mapBack), "key is me");

  const set = new Set<unknown>();
  set.add(set);
  const setBack = roundTrip(set);
  assert.ok(setBack.has(setBack));
  assert.equal(setBack.size, 1);

  const a: Record<string, unknown> = {};
  const b: Record<string, unknown> = { a };
  a.b = b;
  a.list = [a, b, new Set([a])];
  const aBack = roundTrip(a) as any;
  assert.strictEqual(aBack.b.a, aBack);
  assert.strictEqual(aBack.list[0], aBack);
  assert.strictEqual(aBack.list[1], aBack.b);
  assert.ok(aBack.list[2].has(aBack));
});

Deno.test("serializer: very deep values do not overflow the stack", () => {
  let list: { next: unknown } | null = null;
  for (let i = 0; i < 100_000; i++) list = { next: list };
  let back = parse(stringify(list)) as { next: unknown } | null;
  let depth = 0;
  while (back) {
    back = back.next as { next: unknown } | null;
    depth++;
  }
  assert.equal(depth, 100_000);
});

Deno.test("serializer: one server signal shared by two islands is one client signal", () => {
  const count = signal(3);
  const other = signal(3);
  const calls: unknown[] = [];
  const props = parse(stringify([{ count, other }, { count }]), {
    signal: (v) => (calls.push(v), signal(v)),
  }) as { count: Signal<number>; other?: Signal<number> }[];

  assert.deepEqual(calls, [3, 3], "one client signal per server signal");
  assert.strictEqual(props[0].count, props[1].count);
  assert.notStrictEqual(props[0].count, props[0].other);
  assert.equal(props[1].count.value, 3);

  const seen: number[] = [];
  const stop = effect(() => void seen.push(props[1].count.value));
  props[0].count.value = 4;
  stop();
  assert.equal(props[1].count.value, 4);
  assert.deepEqual(seen, [3, 4]);
  assert.equal(props[0].other!.value, 3, "a different server signal is a different signal");
  assert.equal(count.value, 3, "the server signal is untouched");
});

Deno.test("serializer: computed becomes a plain signal with its current value", () => {
  const base = signal(2);
  const doubled = computed(() => base.value * 2);
  const out = roundTrip({ doubled }) as { doubled: Signal<number> };
  assert.equal(out.doubled.value, 4);
  out.doubled.value = 10; // writable on the client
  assert.equal(out.doubled.value, 10);
});

Deno.test("serializer: signals holding shared and circular values", () => {
  const cow = { tag: "BD-7", litres: 12 };
  const selected = signal(cow);
  const out = roundTrip([{ selected, herd: [cow] }, { selected }]) as any[];
  assert.strictEqual(out[0].selected, out[1].selected);
  assert.strictEqual(out[0].selected.value, out[0].herd[0]);
  assert.deepEqual(out[0].herd[0], { tag: "BD-7", litres: 12 });

  // A signal whose value refers back to the signal.
  const node = signal<Record<string, unknown>>({});
  node.value = { me: node, when: new Date(5) };
  const nodeBack = roundTrip({ node }) as any;
  assert.strictEqual(nodeBack.node.value.me, nodeBack.node);
  assert.equal(nodeBack.node.value.when.getTime(), 5);

  // Signals of signals, including one holding itself.
  const inner = signal("in");
  const outer = signal(inner);
  const selfish = signal<unknown>(null);
  selfish.value = selfish;
  const nest = roundTrip({ outer, inner, selfish }) as any;
  assert.strictEqual(nest.outer.value, nest.inner);
  assert.equal(nest.inner.value, "in");
  assert.strictEqual(nest.selfish.value, nest.selfish);
});

Deno.test("serializer: isSignal option and missing signal factory", () => {
  class Cell {
    constructor(public value: number) {}
  }
  const cell = new Cell(8);
  const text = stringify({ a: cell, b: cell }, { isSignal: (v) => v instanceof Cell });
  const out = parse(text, { signal }) as { a: Signal<number>; b: Signal<number> };
  assert.strictEqual(out.a, out.b);
  assert.equal(out.a.value, 8);

  assert.throws(
    () => parse(stringify({ s: signal(1) })),
    (e) => e instanceof SyntaxError && /signal/.test(e.message),
  );
});

Deno.test("serializer: refuses functions with the exact path", () => {
  const e = refusal([{ props: { title: "x", onClick() {} } }]);
  assert.deepEqual(e.path, [0, "props", "onClick"]);
  assert.match(e.message, /^function onClick at \[0\]\.props\.onClick /);

  const anon = refusal({ list: [1, 2, { "odd key": () => 1 }] });
  assert.deepEqual(anon.path, ["list", 2, "odd key"]);
  assert.match(anon.message, /function.* at list\[2\]\["odd key"\]/);

  const inMap = refusal({ m: new Map<unknown, unknown>([["a", 1], ["b", Math.max]]) });
  assert.deepEqual(inMap.path, ["m", 1, 1]);
  assert.match(inMap.message, /function max at m\[1\]\[1\]/);

  const inSignal = refusal({ s: signal({ cb: () => {} }) });
  assert.deepEqual(inSignal.path, ["s", "value", "cb"]);

  assert.deepEqual(refusal(() => {}).path, []);
  assert.match(refusal(() => {}).message, /at the root/);
});

Deno.test("serializer: refuses symbols, class instances and JSX", () => {
  const sym = refusal({ kind: Symbol("cow") });
  assert.deepEqual(sym.path, ["kind"]);
  assert.match(sym.message, /symbol Symbol\(cow\) at kind/);

  class Cow {
    tag = "BD-1";
  }
  const cls = refusal({ herd: new Set([new Cow()]) });
  assert.deepEqual(cls.path, ["herd", 0]);
  assert.match(cls.message, /instance of class Cow at herd\[0\]/);

  const custom = refusal({ x: Object.create({ inherited: 1 }) });
  assert.match(custom.message, /custom prototype at x/);

  const others = [new Error("x"), Promise.resolve(), new WeakMap(), new Float64Array(1)];
  for (const v of others) assert.match(refusal({ v }).message, /instance of class/);

  const jsx = refusal([{ props: { children: h("b", null, "bold") } }]);
  assert.deepEqual(jsx.path, [0, "props", "children"]);
  assert.match(jsx.message, /^JSX .* at \[0\]\.props\.children/);
});

Deno.test("serializer: output is safe inside a script element", () => {
  const value = {
    html: "</script><script>alert(1)</script><!-- -->",
    "</script>": "key too",
    lines: "a\u2028b\u2029c",
    url: new URL("https://x.example/?a=</script>"),
    re: /<\/script>/,
  };
  const text = stringify(value);
  assert.ok(!text.includes("<"), text);
  assert.ok(!text.includes("\u2028") && !text.includes("\u2029"));
  assert.ok(text.includes("\\u003c/script>"));
  assert.deepEqual(parse(text), value);
});

Deno.test("serializer: __proto__ keys do not pollute prototypes", () => {
  const input = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": 1}}');
  const out = roundTrip(input) as Record<string, any>;
  assert.equal(({} as any).polluted, undefined);
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.ok(Object.hasOwn(out, "__proto__"));
  assert.deepEqual(out["__proto__"], { polluted: "yes" });
  assert.equal(out.polluted, undefined);

  // A hostile hand-written text.
  const hostile = parse('[{"__proto__":1,"a":2},{"polluted":3,"toString":3},"yes",null]') as any;
  assert.equal(({} as any).polluted, undefined);
  assert.equal(Object.getPrototypeOf(hostile), Object.prototype);
  assert.equal(hostile.polluted, undefined);
  assert.equal(String({}), "[object Object]");
});

Deno.test("serializer: malformed text throws a clear error", () => {
  const cases: [string, RegExp][] = [
    ["not json", /Malformed island props/],
    ["", /Malformed island props/],
    ["{}", /non-empty JSON array/],
    ["[]", /non-empty JSON array/],
    ["-1", /non-empty JSON array/],
    ["[[5]]", /bad reference 5/],
    ["[[-1]]", /bad reference -1/],
    ['[{"a":"0"}]', /bad reference "0"/],
    ['[{"a":0.5}]', /bad reference 0.5/],
    ['[["M",0]]', /bad reference/],
    ['[["S",0,9]]', /bad reference 9/],
    ['[["Zzz",1]]', /unknown tag "Zzz"/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => parse(text, { signal }),
      (e) => e instanceof SyntaxError && message.test(e.message),
      `parse(${JSON.stringify(text)})`,
    );
  }
});
