import assert from "node:assert/strict";
import {
  blindIndex,
  createKeyring,
  decryptField,
  encryptField,
  FieldCryptoError,
  fieldKeyId,
  generateFieldKey,
  loadKeyring,
  parseFieldKeys,
  reencrypt,
} from "@/services/crypto/field_crypto.ts";

const k1 = generateFieldKey();
const k2 = generateFieldKey();

Deno.test("field crypto: a value round-trips and the ciphertext hides it", async () => {
  const ring = await createKeyring([{ id: 1, key: k1 }]);
  const text = await encryptField(ring, "+8801712345678", "users.phone");
  assert.match(text, /^v1\.1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
  assert.ok(!text.includes("1712345678"));
  assert.equal(await decryptField(ring, text, "users.phone"), "+8801712345678");
  // Same plaintext twice gives different ciphertexts (random IV).
  assert.notEqual(await encryptField(ring, "+8801712345678", "users.phone"), text);
  // Unicode survives.
  const address = "বাড়ি ১২, রোড ৫, ধানমন্ডি, ঢাকা";
  assert.equal(
    await decryptField(ring, await encryptField(ring, address, "addresses.line"), "addresses.line"),
    address,
  );
});

Deno.test("field crypto: a tampered value or another column's value is refused", async () => {
  const ring = await createKeyring([{ id: 1, key: k1 }]);
  const text = await encryptField(ring, "1990123456789", "employees.national_id");
  const parts = text.split(".");
  const ct = parts[3];
  const flipped = ct[5] === "A" ? "B" : "A";
  const tampered = [...parts.slice(0, 3), ct.slice(0, 5) + flipped + ct.slice(6)].join(".");
  await assert.rejects(
    () => decryptField(ring, tampered, "employees.national_id"),
    FieldCryptoError,
  );
  await assert.rejects(
    () => decryptField(ring, text, "users.phone"),
    (e: Error) => e instanceof FieldCryptoError && /wrong column/.test(e.message),
  );
  await assert.rejects(() => decryptField(ring, "plain text", "users.phone"), FieldCryptoError);
  await assert.rejects(() => decryptField(ring, "v1.1.!!.??", "users.phone"), FieldCryptoError);
});

Deno.test("field crypto: rotation keeps old values readable and writes with the new key", async () => {
  const old = await createKeyring([{ id: 1, key: k1 }]);
  const rotated = await createKeyring([{ id: 2, key: k2 }, { id: 1, key: k1 }]);
  assert.equal(rotated.currentId, 2);
  const before = await encryptField(old, "+8801811111111", "users.phone");
  assert.equal(await decryptField(rotated, before, "users.phone"), "+8801811111111");
  const after = await encryptField(rotated, "+8801811111111", "users.phone");
  assert.equal(fieldKeyId(after), 2);

  const moved = await reencrypt(rotated, before, "users.phone");
  assert.ok(moved);
  assert.equal(fieldKeyId(moved), 2);
  assert.equal(await decryptField(rotated, moved, "users.phone"), "+8801811111111");
  assert.equal(await reencrypt(rotated, moved, "users.phone"), null, "already current");

  const onlyNew = await createKeyring([{ id: 2, key: k2 }]);
  await assert.rejects(() => decryptField(onlyNew, before, "users.phone"), /key 1 is not/);
});

Deno.test("field crypto: blind index is stable, keyed, per purpose, and survives rotation", async () => {
  const ring = await createKeyring([{ id: 1, key: k1 }]);
  const a = await blindIndex(ring, "+8801712345678", "users.phone");
  assert.equal(await blindIndex(ring, "+8801712345678", "users.phone"), a);
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(await blindIndex(ring, "+8801712345679", "users.phone"), a);
  assert.notEqual(await blindIndex(ring, "+8801712345678", "otc.subject"), a);
  const otherKey = await createKeyring([{ id: 1, key: k2 }]);
  assert.notEqual(await blindIndex(otherKey, "+8801712345678", "users.phone"), a);
  const rotated = await createKeyring([{ id: 1, key: k1 }, { id: 2, key: k2 }]);
  assert.equal(await blindIndex(rotated, "+8801712345678", "users.phone"), a);
});

Deno.test("field crypto: FIELD_KEYS is parsed with clear errors", async () => {
  const specs = parseFieldKeys(`1:${k1}, 3:${k2}`);
  assert.deepEqual(specs.map((s) => s.id), [1, 3]);
  assert.equal((await createKeyring(specs)).currentId, 3);
  assert.throws(() => parseFieldKeys("1:c2hvcnQ="), /entry 1 \(id 1\): must be 32 bytes/);
  assert.throws(() => parseFieldKeys(`${k1}`), /must look like/);
  assert.throws(() => parseFieldKeys(" , "), /no keys/);
  await assert.rejects(() => createKeyring([{ id: 1, key: k1 }, { id: 1, key: k2 }]), /duplicate/);
});

Deno.test("field crypto: without FIELD_KEYS a key file is made once, private, and reused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sd_keys_" });
  try {
    const first = await loadKeyring({ DATA_DIR: dir, FIELD_KEYS: undefined });
    const stat = await Deno.stat(`${dir}/field_keys.json`);
    assert.equal(stat.mode! & 0o777, 0o600);
    const text = await encryptField(first, "secret", "t.c");
    const second = await loadKeyring({ DATA_DIR: dir, FIELD_KEYS: undefined });
    assert.equal(await decryptField(second, text, "t.c"), "secret");
    // FIELD_KEYS wins over the file.
    const fromEnv = await loadKeyring({ DATA_DIR: dir, FIELD_KEYS: `5:${k1}` });
    assert.equal(fromEnv.currentId, 5);
    await Deno.writeTextFile(`${dir}/field_keys.json`, '{"keys": []}');
    await assert.rejects(
      () => loadKeyring({ DATA_DIR: dir, FIELD_KEYS: undefined }),
      /needs at least one key/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
