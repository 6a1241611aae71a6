/** Bangla digits, in a module of its own so that the contexts' catalogs can use it without importing the catalog of catalogs (services/i18n/mod.ts imports them). */
export function toBanglaDigits(s: string): string {
  return s.replace(/[0-9]/g, (d) => "০১২৩৪৫৬৭৮৯"[Number(d)]);
}
