/**
 * The delivery address as checkout and new subscriptions take it: who receives, their phone,
 * the street line and the place (division → district → upazila → delivery zone). Messages are
 * codes the pages translate (t.checkout.fields).
 */
import { INT4_MAX, z } from "@/services/platform/schema.ts";
import { phoneSchema } from "@/services/identity/identifiers.ts";

const id = (msg: string) =>
  z.coerce.number({ error: msg }).int(msg).positive(msg).max(INT4_MAX, msg);

export const addressFields = {
  recipient: z.string().trim().min(2, "name_required").max(80, "name_too_long"),
  phone: z.string().trim().min(1, "phone_required").pipe(phoneSchema),
  line: z.string().trim().min(5, "line_required").max(200, "line_too_long"),
  divisionId: id("division_required"),
  districtId: id("district_required"),
  upazilaId: id("upazila_required"),
  zoneId: id("zone_required"),
};

/** The form names of the address fields, in the order the pages read them. */
export const ADDRESS_FIELDS = [
  "recipient",
  "phone",
  "line",
  "divisionId",
  "districtId",
  "upazilaId",
  "zoneId",
] as const;
