/**
 * The public site's door: the contact form's messages (table contact_messages, phone and email
 * encrypted per field) and what the public pages show of other contexts (delivery areas, the
 * products in the sitemap), through small interfaces main.ts hands in.
 *
 * `createSite({ sql, keyring, shop })`: `contact(input, locale)` validates and stores a message,
 * `contactMessages()` lists them for the office, `deliveryAreas()` and `productSlugs()` ask the
 * shop.
 */
import * as privacy from "./privacy.ts";
import type { Sql } from "@/services/platform/db.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { parseInput } from "@/services/platform/errors.ts";
import type { DeliverySlot, DeliveryZone } from "@/services/shop/mod.ts";
import {
  contactSchema,
  listContactMessages,
  saveContactMessage,
  TOPICS,
} from "./contact_messages.ts";

export { contactSchema, TOPICS };
export type { ContactInput } from "./contact_messages.ts";

/** A delivery area as the public pages show it (the shop owns the zones and their type). */
export type DeliveryArea = DeliveryZone;
export type { DeliverySlot };

/** What the public site needs from the shop. */
export interface SiteShop {
  activeZones(): Promise<DeliveryArea[]>;
  /** The active delivery slots (times, order-by cut-off, extra fee). */
  slots(): Promise<DeliverySlot[]>;
  productSlugs(): Promise<{ slug: string; updatedAt: Date }[]>;
}

export interface SiteDeps {
  sql: Sql;
  keyring: Keyring;
  shop: SiteShop;
}

export function createSite(deps: SiteDeps) {
  const { sql, keyring, shop } = deps;
  return {
    /**
     * Stores a message from the contact form. Throws ValidationError whose field messages are
     * keys of the site catalog's `validation` (translateError shows them).
     */
    async contact(input: Record<string, unknown>, locale: "en" | "bn"): Promise<number> {
      const data = parseInput(contactSchema, input);
      return await saveContactMessage(sql, keyring, data, locale);
    },
    contactMessages: (limit = 50) => listContactMessages(sql, keyring, limit),
    deliveryAreas: (): Promise<DeliveryArea[]> => shop.activeZones(),
    /** When we deliver: the slots the checkout offers, so the page never promises other hours. */
    deliverySlots: (): Promise<DeliverySlot[]> => shop.slots(),
    productSlugs: () => shop.productSlugs(),

    // ---- privacy (services/privacy) ----
    /** Contact-form messages sent from these phone numbers or email addresses. */
    exportCustomer: (addresses: readonly string[]) =>
      privacy.exportContacts(sql, keyring, addresses),
    /** Erases the name, phone, email and text of those messages (counts). */
    anonymiseCustomer: (addresses: readonly string[]) =>
      privacy.anonymiseContacts(sql, keyring, addresses),
  };
}

export type Site = ReturnType<typeof createSite>;
