/** The privacy page's words (/account/privacy), English and Bangla. */
export const PRIVACY_TEXT = {
  en: {
    title: "Your data",
    downloadTitle: "Download your data",
    downloadIntro:
      "Everything we keep about you: your account, addresses, orders, subscriptions, payments and the messages we sent you.",
    json: "Download (JSON)",
    csv: "Download (CSV, for spreadsheets)",
    deleteTitle: "Delete your personal data",
    deleteIntro:
      "Your name, phone, email, addresses and messages are erased and you are signed out everywhere; you cannot sign in to this account again. The law requires us to keep your orders' numbers, dates, amounts and VAT for 7 years: they stay, without your name or address.",
    confirmLabel: "Type DELETE to confirm",
    confirmWord: "DELETE",
    confirmWrong: "Type DELETE (in capitals) to confirm.",
    deleteButton: "Delete my personal data",
    requests: "Your requests",
    kinds: { export: "Download", deletion: "Deletion" },
    statuses: { requested: "in progress", completed: "done" },
    deleted: "Your personal data is deleted. Thank you for having been our customer.",
  },
  bn: {
    title: "আপনার তথ্য",
    downloadTitle: "আপনার তথ্য ডাউনলোড করুন",
    downloadIntro:
      "আপনার সম্পর্কে আমরা যা রাখি সবকিছু: অ্যাকাউন্ট, ঠিকানা, অর্ডার, সাবস্ক্রিপশন, পেমেন্ট এবং আপনাকে পাঠানো বার্তা।",
    json: "ডাউনলোড (JSON)",
    csv: "ডাউনলোড (CSV, স্প্রেডশিটের জন্য)",
    deleteTitle: "আপনার ব্যক্তিগত তথ্য মুছে ফেলুন",
    deleteIntro:
      "আপনার নাম, ফোন, ইমেইল, ঠিকানা ও বার্তা মুছে ফেলা হবে এবং সব ডিভাইস থেকে সাইন আউট হবে; এই অ্যাকাউন্টে আর সাইন ইন করা যাবে না। আইন অনুযায়ী অর্ডারের নম্বর, তারিখ, টাকার অঙ্ক ও ভ্যাট ৭ বছর রাখতে হয়: সেগুলো থাকবে, আপনার নাম বা ঠিকানা ছাড়া।",
    confirmLabel: "নিশ্চিত করতে DELETE লিখুন",
    confirmWord: "DELETE",
    confirmWrong: "নিশ্চিত করতে বড় হাতের অক্ষরে DELETE লিখুন।",
    deleteButton: "আমার ব্যক্তিগত তথ্য মুছে ফেলুন",
    requests: "আপনার অনুরোধ",
    kinds: { export: "ডাউনলোড", deletion: "মুছে ফেলা" },
    statuses: { requested: "চলছে", completed: "সম্পন্ন" },
    deleted: "আপনার ব্যক্তিগত তথ্য মুছে ফেলা হয়েছে। আমাদের গ্রাহক হওয়ার জন্য ধন্যবাদ।",
  },
};
