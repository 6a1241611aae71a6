/**
 * The words every staff screen's buttons and filters use, translated once: a context's catalog
 * spreads them into its `common` table (`...COMMON_WORDS.en`) and adds its own.
 */
export const COMMON_WORDS = {
  en: {
    save: "Save",
    cancel: "Cancel",
    back: "Back",
    filter: "Filter",
    any: "Any",
    yes: "Yes",
    no: "No",
    open: "Open",
    edit: "Edit",
    search: "Search",
  },
  bn: {
    save: "সংরক্ষণ",
    cancel: "বাতিল",
    back: "ফিরে যান",
    filter: "ছাঁকুন",
    any: "যেকোনো",
    yes: "হ্যাঁ",
    no: "না",
    open: "খুলুন",
    edit: "সম্পাদনা",
    search: "খুঁজুন",
  },
};
