/** Words of guest checkout, the area-first address and the minimum order (en + bn). */
const en = {
  guestIntro:
    "No account or password needed: when you place the order we text a code to this mobile number. The code confirms the order and opens your account for this number, so you can follow the order and get its receipts. If the number already has an account, the code signs you in and the order is yours.",
  haveAccount: "Already a customer?",
  signIn: "Sign in",
  place: "Area (thana)",
  placeHint: "We deliver to these Dhaka thanas; district and division follow from the area.",
  filledFrom: (district: string, division: string) =>
    `District: ${district} · Division: ${division}`,
  zoneTerms: (zone: string, fee: string, min: string) =>
    `${zone} — delivery ${fee}, minimum order ${min}`,
  minimumFor: (min: string, zone: string) => `Minimum order for ${zone}: ${min}`,
  addMore: (amount: string, zone: string) => `Add ${amount} more for ${zone}`,
  codeTitle: "Confirm your order with the code",
  codeSent: (to: string) => `We sent a 6-digit code by SMS to ${to}.`,
  codeWhy:
    "Why: the order belongs to the account for this mobile number. The code shows the number is yours; no password to choose.",
  code: "Code from the SMS",
  confirm: "Confirm and place order",
  changeDetails: "Change details",
  codeFailed: {
    invalid_code: "That code is not right. Check the SMS and try again.",
    expired: "That code has expired. Go back and place the order again for a new one.",
    too_many_attempts: "Too many wrong codes. Go back and place the order again for a new one.",
    no_code: "There is no code waiting for this number. Place the order again for a new one.",
    throttled: "Too many codes were sent to this number. Wait a while before trying again.",
    disabled: "The account with this number is disabled. Contact Smart Dairy.",
    locked: "The account with this number is locked for a while. Try again later.",
  } as Record<string, string>,
};

export type CheckoutMessages = typeof en;

const bn: CheckoutMessages = {
  guestIntro:
    "অ্যাকাউন্ট বা পাসওয়ার্ড লাগবে না: অর্ডার করার সময় আমরা এই মোবাইল নম্বরে একটি কোড পাঠাব। কোডটি অর্ডার নিশ্চিত করে এবং এই নম্বরের জন্য আপনার অ্যাকাউন্ট খুলে দেয়, যাতে আপনি অর্ডারের খোঁজ ও রসিদ পান। নম্বরটিতে আগে থেকেই অ্যাকাউন্ট থাকলে কোডটি আপনাকে সাইন ইন করায় এবং অর্ডারটি আপনার হয়।",
  haveAccount: "আগে থেকেই গ্রাহক?",
  signIn: "সাইন ইন",
  place: "এলাকা (থানা)",
  placeHint: "আমরা ঢাকার এই থানাগুলোতে ডেলিভারি দিই; জেলা ও বিভাগ এলাকা থেকেই ঠিক হয়।",
  filledFrom: (district: string, division: string) => `জেলা: ${district} · বিভাগ: ${division}`,
  zoneTerms: (zone: string, fee: string, min: string) =>
    `${zone} — ডেলিভারি ${fee}, সর্বনিম্ন অর্ডার ${min}`,
  minimumFor: (min: string, zone: string) => `${zone}-এর সর্বনিম্ন অর্ডার: ${min}`,
  addMore: (amount: string, zone: string) => `${zone}-এর জন্য আরও ${amount} যোগ করুন`,
  codeTitle: "কোড দিয়ে অর্ডার নিশ্চিত করুন",
  codeSent: (to: string) => `${to} নম্বরে এসএমএসে ৬ অঙ্কের একটি কোড পাঠানো হয়েছে।`,
  codeWhy:
    "কেন: অর্ডারটি এই মোবাইল নম্বরের অ্যাকাউন্টের। কোডটি দেখায় নম্বরটি আপনার; কোনো পাসওয়ার্ড বেছে নিতে হবে না।",
  code: "এসএমএসের কোড",
  confirm: "নিশ্চিত করে অর্ডার করুন",
  changeDetails: "তথ্য বদলান",
  codeFailed: {
    invalid_code: "কোডটি সঠিক নয়। এসএমএস দেখে আবার চেষ্টা করুন।",
    expired: "কোডটির মেয়াদ শেষ। নতুন কোডের জন্য ফিরে গিয়ে আবার অর্ডার করুন।",
    too_many_attempts: "অনেকবার ভুল কোড। নতুন কোডের জন্য ফিরে গিয়ে আবার অর্ডার করুন।",
    no_code: "এই নম্বরের জন্য কোনো কোড অপেক্ষায় নেই। নতুন কোডের জন্য আবার অর্ডার করুন।",
    throttled: "এই নম্বরে অনেক কোড পাঠানো হয়েছে। কিছুক্ষণ পরে আবার চেষ্টা করুন।",
    disabled: "এই নম্বরের অ্যাকাউন্টটি বন্ধ। স্মার্ট ডেইরির সাথে যোগাযোগ করুন।",
    locked: "এই নম্বরের অ্যাকাউন্টটি কিছুক্ষণের জন্য আটকানো। পরে আবার চেষ্টা করুন।",
  },
};

export const checkoutCatalogs: Record<"en" | "bn", CheckoutMessages> = { en, bn };
