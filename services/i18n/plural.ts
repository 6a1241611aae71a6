/**
 * Counted phrases in both languages through `Intl.PluralRules`: the form is chosen by the
 * language's own rules ("1 order" / "2 orders"; Bangla uses one form with a classifier, "২টি
 * অর্ডার"), and `#` becomes the number in that language's digits.
 */
import { toBanglaDigits } from "./digits.ts";

type Lang = "en" | "bn";
type Forms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const RULES: Record<Lang, Intl.PluralRules> = {
  en: new Intl.PluralRules("en"),
  bn: new Intl.PluralRules("bn"),
};

export function plural(lang: Lang, n: number, forms: Forms): string {
  const form = forms[RULES[lang].select(n)] ?? forms.other;
  const digits = lang === "bn" ? toBanglaDigits(String(n)) : String(n);
  return form.replaceAll("#", digits);
}
