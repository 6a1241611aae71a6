/** The printed texts of Mushak 6.3 and 6.7, English and Bangla. */
export const L = {
  govt: {
    en: "Government of the People's Republic of Bangladesh",
    bn: "গণপ্রজাতন্ত্রী বাংলাদেশ সরকার",
  },
  nbr: { en: "National Board of Revenue", bn: "জাতীয় রাজস্ব বোর্ড" },
  invoiceTitle: { en: "Tax invoice", bn: "কর চালানপত্র" },
  creditTitle: { en: "Credit note", bn: "ক্রেডিট নোট" },
  form63: { en: "Mushak-6.3", bn: "মূসক-৬.৩" },
  form67: { en: "Mushak-6.7", bn: "মূসক-৬.৭" },
  original: { en: "Original — buyer's copy", bn: "মূল কপি — ক্রেতার জন্য" },
  duplicate: { en: "Duplicate — seller's copy", bn: "দ্বিতীয় কপি — বিক্রেতার জন্য" },
  sellerName: { en: "Registered person's name", bn: "নিবন্ধিত ব্যক্তির নাম" },
  sellerBin: { en: "Registered person's BIN", bn: "নিবন্ধিত ব্যক্তির বিআইএন" },
  sellerAddress: { en: "Address of issue", bn: "চালানপত্র ইস্যুর ঠিকানা" },
  buyerName: { en: "Buyer's name", bn: "ক্রেতার নাম" },
  buyerBin: { en: "Buyer's BIN", bn: "ক্রেতার বিআইএন" },
  buyerAddress: { en: "Destination of supply", bn: "সরবরাহের গন্তব্যস্থল" },
  unregistered: { en: "Not registered", bn: "নিবন্ধিত নয়" },
  vehicle: { en: "Vehicle type and number", bn: "যানবাহনের প্রকৃতি ও নম্বর" },
  invoiceNumber: { en: "Invoice number", bn: "চালানপত্র নম্বর" },
  creditNumber: { en: "Credit note number", bn: "ক্রেডিট নোট নম্বর" },
  issueDate: { en: "Date of issue", bn: "ইস্যুর তারিখ" },
  issueTime: { en: "Time of issue", bn: "ইস্যুর সময়" },
  location: { en: "Issuing location", bn: "ইস্যুকারী প্রতিষ্ঠানের অবস্থান" },
  originalNumber: {
    en: "Original tax invoice (Mushak-6.3) number",
    bn: "মূল কর চালানপত্রের (মূসক-৬.৩) নম্বর",
  },
  originalDate: { en: "Original tax invoice date", bn: "মূল কর চালানপত্রের তারিখ" },
  reason: { en: "Reason for the credit note", bn: "ক্রেডিট নোট ইস্যুর কারণ" },
  col: {
    sl: { en: "Sl.", bn: "ক্রম" },
    description: {
      en: "Description of goods or services (with brand)",
      bn: "পণ্য বা সেবার বর্ণনা (ব্র্যান্ড নামসহ)",
    },
    unit: { en: "Unit of supply", bn: "সরবরাহের একক" },
    quantity: { en: "Quantity", bn: "পরিমাণ" },
    unitPrice: { en: "Unit price excl. taxes", bn: "একক মূল্য (করবিহীন)" },
    value: { en: "Total value", bn: "মোট মূল্য" },
    discount: { en: "Discount", bn: "ছাড়" },
    valueAfterDiscount: { en: "Value after discount", bn: "ছাড়ের পর মূল্য" },
    sdRate: { en: "SD rate", bn: "সম্পূরক শুল্কের হার" },
    sd: { en: "SD amount", bn: "সম্পূরক শুল্কের পরিমাণ" },
    vatRate: { en: "VAT rate", bn: "মূসকের হার" },
    vat: { en: "VAT amount", bn: "মূসকের পরিমাণ" },
    total: { en: "Value incl. all taxes", bn: "সকল প্রকার শুল্ক ও করসহ মূল্য" },
  },
  creditCols: {
    quantity: { en: "Quantity credited", bn: "ফেরত/হ্রাসকৃত পরিমাণ" },
    vat: { en: "VAT decreased", bn: "হ্রাসকৃত মূসক" },
    total: { en: "Amount credited incl. taxes", bn: "করসহ হ্রাসকৃত মূল্য" },
  },
  totals: { en: "Total", bn: "সর্বমোট" },
  officerName: {
    en: "Name of the organisation's responsible officer",
    bn: "প্রতিষ্ঠানের দায়িত্বপ্রাপ্ত ব্যক্তির নাম",
  },
  officerDesignation: { en: "Designation", bn: "পদবি" },
  signature: { en: "Signature and seal", bn: "স্বাক্ষর ও সিল" },
  rounding: {
    en:
      "SD and VAT are rounded per line to the poisha (half away from zero); totals are sums of the rounded lines.",
    bn:
      "সম্পূরক শুল্ক ও মূসক প্রতিটি লাইনে পয়সা পর্যন্ত পূর্ণ করা হয়েছে (অর্ধেক হলে শূন্য থেকে দূরে); মোট হলো পূর্ণকৃত লাইনগুলোর যোগফল।",
  },
  vatIncluded: {
    en:
      "Prices include VAT: the VAT of a line is its amount × rate ÷ (1 + rate), rounded to the poisha; values are shown without VAT.",
    bn:
      "মূল্যে মূসক অন্তর্ভুক্ত: প্রতিটি লাইনের মূসক = লাইনের মূল্য × হার ÷ (১ + হার), পয়সা পর্যন্ত পূর্ণ করা; মূল্য মূসক ছাড়া দেখানো হয়েছে।",
  },
  withholding: {
    en: "The buyer deducts VAT at source: this invoice also serves as the withholding certificate.",
    bn: "ক্রেতা উৎসে মূসক কর্তন করেন: এই চালানপত্রটি উৎসে কর্তন সনদপত্র হিসেবেও গণ্য হবে।",
  },
  creditEffect: {
    en: "Output VAT is decreased in the tax period in which this credit note is issued.",
    bn: "এই ক্রেডিট নোট যে কর মেয়াদে ইস্যু করা হয়েছে সেই মেয়াদে উৎপাদ কর হ্রাস করা হবে।",
  },
} as const;
