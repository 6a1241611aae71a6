/**
 * A service error as messages in the page's language: the house's translateError, then intake's
 * English field messages through the intake catalog. Errors no one can fix here are re-thrown.
 */
import { type Messages, type TranslatedError, translateError } from "@/services/i18n/mod.ts";

export function intakeError(t: Messages, e: unknown): TranslatedError {
  const err = translateError(t, e);
  if (!err) throw e;
  const say = (x: string) => t.intake.fieldText[x] ?? x;
  const fields = Object.fromEntries(
    Object.entries(err.fields).map(([k, v]) => [k, v.map(say)]),
  );
  return { ...err, fields, message: say(err.message) };
}
