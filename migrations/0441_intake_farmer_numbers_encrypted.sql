-- Contract farmers' phone and bKash numbers are personal data (DESIGN §6): from here on they are
-- stored encrypted per field, as users' phones are (services/crypto/field_crypto.ts: AES-256-GCM,
-- the key id inside the value, the column named as associated data), with a keyed blind index
-- (phone_hash) for the exact-match lookups: the farmer's sign-in by phone and the back office's
-- search by phone number.
--
-- SQL cannot encrypt (the keys are not in the database), so this migration only makes room:
-- * phone_enc / phone_hash / bkash_enc are added; the plain phone and bkash columns may be null;
-- * the *_sealed checks (NOT VALID: rows written before this migration still pass) refuse any new
--   or updated row that keeps a plain number, so no plaintext can be written again;
-- * the intake context encrypts the rows written before (services/intake/farmer_numbers.ts
--   `sealFarmerNumbers`): main.ts runs it at start-up, right after the migrations, and every
--   intake door runs it once before its first use of the farmers (a worker or script that starts
--   on its own). Row by row, idempotent, safe when two processes run it at once; it writes the
--   ciphertext and the index and empties phone and bkash in the same update.
-- After a start on this release no plaintext remains. A later migration drops the plain columns
-- once every deployment has started on this release.
alter table intake_farmers
  add column phone_enc text,
  add column phone_hash text,
  add column bkash_enc text,
  alter column phone drop not null,
  add constraint intake_farmers_phone_hash_key unique (phone_hash),
  add constraint intake_farmers_phone_pair check ((phone_enc is null) = (phone_hash is null)),
  add constraint intake_farmers_phone_present check (phone is not null or phone_enc is not null),
  add constraint intake_farmers_phone_sealed check (phone is null) not valid,
  add constraint intake_farmers_bkash_sealed check (bkash is null) not valid;
