import { z } from "zod";
import { isIsoDate } from "../domain/iso-date.js";
import { failures, type PlaidFailure } from "./errors.js";

/**
 * Request bodies are checked with zod at the boundary. A failure becomes Plaid's
 * MISSING_FIELDS (a required field is absent) or INVALID_FIELD (present but wrong), naming
 * the field as Plaid does ("options.count").
 */

function lookup(body: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = body;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

export function zodFailure(error: z.ZodError, body: unknown): PlaidFailure {
  const missing = error.issues
    .filter((issue) => issue.code === "invalid_type" && lookup(body, issue.path) === undefined)
    .map((issue) => issue.path.join("."));
  if (missing.length > 0) {
    return failures.missingFields(
      `the following required fields are missing: ${[...new Set(missing)].join(", ")}`,
    );
  }
  const issue = error.issues[0];
  const field = issue === undefined ? "body" : issue.path.join(".") || "body";
  const reason = issue?.message ?? "is invalid";
  return failures.invalidField(`${field}: ${reason}`);
}

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw zodFailure(result.error, body);
  return result.data;
}

export const isoDate = z.string().refine(isIsoDate, { message: "must be a date in YYYY-MM-DD format" });
export const count500 = z
  .number()
  .int({ message: "must be an integer" })
  .min(1, { message: "must be at least 1" })
  .max(500, { message: "must be at most 500" });
export const offset = z
  .number()
  .int({ message: "must be an integer" })
  .min(0, { message: "must be at least 0" });
export const accessToken = z.string().min(1, { message: "must not be empty" });
export const accountIds = z.array(z.string()).nullish();
