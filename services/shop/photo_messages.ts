/**
 * The texts of the product photo screen and its refusals, in English and Bangla (kept apart from
 * messages.ts: staff-facing, one screen). bn has exactly en's shape.
 */
import type { PhotoErrorCode } from "./photos.ts";

const en = {
  title: (name: string) => `Photos of ${name}`,
  back: "Back to the product",
  intro:
    "Upload a photo from your phone or camera (JPEG, PNG, WebP or AVIF, up to 15 MB). The shop makes square AVIF, WebP and JPEG sizes from the centre of the photo within a minute; until then it shows the drawing.",
  file: "Photo",
  upload: "Upload photo",
  uploaded: "Photo received. Its sizes are being made; reload in a minute.",
  deleted: "Photo removed.",
  madeMain: "This photo now comes first in the shop.",
  none: "No photos yet: the shop shows the drawing of this product.",
  main: "Shown in the shop",
  makeMain: "Show first",
  remove: "Remove",
  status: {
    pending: "Making sizes…",
    ready: "Ready",
    failed: "Could not be read",
  } as Record<string, string>,
  original: (w: number, h: number, kb: number) => `Original ${w} × ${h} px, ${kb} KB`,
  weights: "Largest size",
  errors: {
    photo_not_image: "This file is not a photo. Choose a JPEG, PNG, WebP or AVIF picture.",
    photo_heic:
      "HEIC photos (iPhone) cannot be read yet. Share the photo as JPEG, or set Camera › Formats › Most Compatible.",
    photo_truncated: "The photo arrived incomplete. Please upload it again.",
    photo_unreadable: "This photo could not be read. Try saving it again as JPEG.",
    photo_too_small: "The photo is too small: it needs at least 160 × 160 pixels.",
    photo_too_many_pixels: "The photo has too many pixels (at most 50 megapixels).",
    photo_too_large: "The file is too large (at most 15 MB).",
    photo_missing: "Choose a photo to upload.",
    photo_limit: "A product has at most 8 photos. Remove one first.",
    photo_not_found: "That photo or product does not exist any more.",
  } satisfies Record<PhotoErrorCode, string>,
};

const bn: typeof en = {
  title: (name: string) => `${name}-এর ছবি`,
  back: "পণ্যে ফিরে যান",
  intro:
    "ফোন বা ক্যামেরা থেকে একটি ছবি আপলোড করুন (JPEG, PNG, WebP বা AVIF, সর্বোচ্চ ১৫ MB)। ছবির মাঝখান থেকে দোকান এক মিনিটের মধ্যে বর্গাকার AVIF, WebP ও JPEG মাপ তৈরি করে; ততক্ষণ আঁকা ছবিটি দেখায়।",
  file: "ছবি",
  upload: "ছবি আপলোড করুন",
  uploaded: "ছবি পাওয়া গেছে। মাপগুলো তৈরি হচ্ছে; এক মিনিট পরে পাতাটি আবার খুলুন।",
  deleted: "ছবি সরানো হয়েছে।",
  madeMain: "এই ছবিটি এখন দোকানে প্রথমে দেখাবে।",
  none: "এখনো কোনো ছবি নেই: দোকানে এই পণ্যের আঁকা ছবি দেখাচ্ছে।",
  main: "দোকানে দেখানো হচ্ছে",
  makeMain: "প্রথমে দেখান",
  remove: "সরান",
  status: {
    pending: "মাপ তৈরি হচ্ছে…",
    ready: "প্রস্তুত",
    failed: "পড়া যায়নি",
  },
  original: (w: number, h: number, kb: number) => `মূল ছবি ${w} × ${h} পিক্সেল, ${kb} KB`,
  weights: "সবচেয়ে বড় মাপ",
  errors: {
    photo_not_image: "এই ফাইলটি ছবি নয়। একটি JPEG, PNG, WebP বা AVIF ছবি বেছে নিন।",
    photo_heic:
      "HEIC ছবি (আইফোন) এখনো পড়া যায় না। ছবিটি JPEG হিসেবে শেয়ার করুন, অথবা Camera › Formats › Most Compatible বেছে নিন।",
    photo_truncated: "ছবিটি অসম্পূর্ণ এসেছে। আবার আপলোড করুন।",
    photo_unreadable: "ছবিটি পড়া যায়নি। JPEG হিসেবে আবার সেভ করে চেষ্টা করুন।",
    photo_too_small: "ছবিটি খুব ছোট: অন্তত ১৬০ × ১৬০ পিক্সেল লাগবে।",
    photo_too_many_pixels: "ছবিটিতে পিক্সেল খুব বেশি (সর্বোচ্চ ৫০ মেগাপিক্সেল)।",
    photo_too_large: "ফাইলটি খুব বড় (সর্বোচ্চ ১৫ MB)।",
    photo_missing: "আপলোড করার জন্য একটি ছবি বেছে নিন।",
    photo_limit: "একটি পণ্যের সর্বোচ্চ ৮টি ছবি থাকতে পারে। আগে একটি সরান।",
    photo_not_found: "ছবি বা পণ্যটি আর নেই।",
  },
};

export const photoCatalogs = { en, bn };
export type PhotoMessages = typeof en;
