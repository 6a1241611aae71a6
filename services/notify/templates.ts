/**
 * Texts of the messages the system sends, in English and Bangla. SMS bodies stay short (one or
 * two segments); email gets a subject. Codes stay in Latin digits: that is what people type.
 */
export type Locale = "en" | "bn";

type Vars = Record<string, string | number>;
type Render = (v: Vars) => { subject: string; body: string };

/** A one-time code to sign up or sign in: what it is for, in each language. */
const oneTimeCode = (what: Record<Locale, string>): Record<Locale, Render> => ({
  en: (v) => ({
    subject: `Your Smart Dairy ${what.en} code`,
    body:
      `Smart Dairy: your ${what.en} code is ${v.code}. It expires in ${v.minutes} minutes. Never share it.`,
  }),
  bn: (v) => ({
    subject: `স্মার্ট ডেইরি ${what.bn} কোড`,
    body:
      `স্মার্ট ডেইরি: আপনার ${what.bn} কোড ${v.code}। ${v.minutes} মিনিটের মধ্যে ব্যবহার করুন। কাউকে জানাবেন না।`,
  }),
});

const TEMPLATES: Record<string, Record<Locale, Render>> = {
  signup_code: oneTimeCode({ en: "sign-up", bn: "নিবন্ধন" }),
  reset_code: {
    en: (v) => ({
      subject: "Your Smart Dairy password reset code",
      body:
        `Smart Dairy: your password reset code is ${v.code}. It expires in ${v.minutes} minutes. If you did not ask for it, ignore this message.`,
    }),
    bn: (v) => ({
      subject: "স্মার্ট ডেইরি পাসওয়ার্ড রিসেট কোড",
      body:
        `স্মার্ট ডেইরি: পাসওয়ার্ড রিসেট কোড ${v.code}। ${v.minutes} মিনিটের মধ্যে ব্যবহার করুন। আপনি না চাইলে এই বার্তা উপেক্ষা করুন।`,
    }),
  },
  signin_code: oneTimeCode({ en: "sign-in", bn: "সাইন-ইন" }),
  account_exists: {
    en: () => ({
      subject: "Someone tried to sign up with your details",
      body:
        "Smart Dairy: someone tried to create an account with this number or address, which already has one. If it was you, sign in or reset your password.",
    }),
    bn: () => ({
      subject: "আপনার তথ্য দিয়ে নিবন্ধনের চেষ্টা",
      body:
        "স্মার্ট ডেইরি: এই নম্বর বা ঠিকানায় আগেই একটি অ্যাকাউন্ট আছে। আপনি হলে সাইন ইন করুন অথবা পাসওয়ার্ড রিসেট করুন।",
    }),
  },
  password_changed: {
    en: () => ({
      subject: "Your Smart Dairy password was changed",
      body:
        "Smart Dairy: your password was just changed and other sessions were signed out. If this was not you, reset your password now.",
    }),
    bn: () => ({
      subject: "আপনার পাসওয়ার্ড পরিবর্তন হয়েছে",
      body: "স্মার্ট ডেইরি: আপনার পাসওয়ার্ড পরিবর্তন করা হয়েছে। এটি আপনি না করলে এখনই পাসওয়ার্ড রিসেট করুন।",
    }),
  },
};

export type TemplateName = keyof typeof TEMPLATES;

export function renderTemplate(
  name: string,
  locale: Locale,
  vars: Vars = {},
): { subject: string; body: string } {
  const t = TEMPLATES[name];
  if (!t) throw new Error(`unknown message template "${name}"`);
  return t[locale](vars);
}
