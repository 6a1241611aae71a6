/** Small helpers for routes that read posted forms. */

/**
 * The named fields of a posted form, each as its text ("" when the form left it out), for the
 * service calls that take a form's fields as they are and check them themselves.
 */
export function fieldsOf<K extends string>(
  values: Readonly<Record<string, string | undefined>>,
  keys: readonly K[],
): Record<K, string> {
  return Object.fromEntries(keys.map((k) => [k, values[k] ?? ""])) as Record<K, string>;
}
