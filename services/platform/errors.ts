/**
 * Errors the services throw for input a person can fix. Each carries an HTTP status so
 * the web layer maps it without knowing the service; fieldErrors key by form field name.
 */
import type { z } from "zod";

export class ValidationError extends Error {
  readonly status = 422;
  constructor(readonly fieldErrors: Record<string, string>) {
    super(Object.entries(fieldErrors).map(([k, v]) => `${k}: ${v}`).join("; "));
    this.name = "ValidationError";
  }
  static fromZod(error: z.ZodError): ValidationError {
    const fields: Record<string, string> = {};
    for (const issue of error.issues) {
      const key = issue.path.join(".") || "form";
      fields[key] ??= issue.message;
    }
    return new ValidationError(fields);
  }
}

export class ConflictError extends Error {
  readonly status = 409;
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = "ConflictError";
  }
}

export class NotFoundError extends Error {
  readonly status = 404;
  constructor(message: string) {
    super(message);
    this.name = "NotFoundError";
  }
}

/** Parses with a Zod schema, throwing ValidationError with one message per field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw ValidationError.fromZod(r.error);
  return r.data;
}
