/** Schema pieces shared by the farm's forms. */
import { z } from "@/services/platform/schema.ts";

/** A checkbox: ticked ("on", "1" or true) or not (absent). */
export const checkbox = z.preprocess((v) => v === true || v === "on" || v === "1", z.boolean());
