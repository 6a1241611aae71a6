import { deepStrictEqual, equal } from "node:assert/strict";
import { withTestKv } from "@/tests/helpers/kv.ts";
import {
  addToCart,
  getCart,
  guestOwner,
  MAX_QTY,
  mergeGuestCart,
  setDiscountCode,
  setQty,
  userOwner,
} from "@/services/shop/cart.ts";

Deno.test("cart: add, change and remove lines; quantities stay within limits", async () => {
  await withTestKv(async (kv) => {
    const owner = guestOwner("a".repeat(32));
    await addToCart(kv, owner, 1, 2);
    await addToCart(kv, owner, 1, 3);
    await addToCart(kv, owner, 2, 500);
    deepStrictEqual((await getCart(kv, owner)).items, [{ variantId: 1, qty: 5 }, {
      variantId: 2,
      qty: MAX_QTY,
    }]);
    await setQty(kv, owner, 2, 0);
    deepStrictEqual((await getCart(kv, owner)).items, [{ variantId: 1, qty: 5 }]);
    await setQty(kv, owner, 1, 0);
    equal((await kv.get(["cart", owner])).value, null, "an empty cart is deleted");
  });
});

Deno.test("cart: concurrent adds from several tabs are all kept", async () => {
  await withTestKv(async (kv) => {
    const owner = userOwner("u1");
    await Promise.all(Array.from({ length: 20 }, (_, i) => addToCart(kv, owner, 100 + (i % 4), 1)));
    const total = (await getCart(kv, owner)).items.reduce((a, i) => a + i.qty, 0);
    equal(total, 20);
  });
});

Deno.test("cart: a guest cart merges into the customer's at sign-in, once", async () => {
  await withTestKv(async (kv) => {
    const guest = "b".repeat(32);
    await addToCart(kv, guestOwner(guest), 1, 2);
    await addToCart(kv, guestOwner(guest), 3, 1);
    await setDiscountCode(kv, guestOwner(guest), "WELCOME10");
    await addToCart(kv, userOwner("u2"), 1, 1);
    const merged = await mergeGuestCart(kv, guest, "u2");
    deepStrictEqual(merged.items, [{ variantId: 1, qty: 3 }, { variantId: 3, qty: 1 }]);
    equal(merged.discountCode, "WELCOME10");
    equal((await kv.get(["cart", guestOwner(guest)])).value, null, "the guest cart is gone");
    const again = await mergeGuestCart(kv, guest, "u2");
    deepStrictEqual(again.items, merged.items, "merging twice changes nothing");
  });
});
