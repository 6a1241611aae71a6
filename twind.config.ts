import presetTailwind from "@twind/preset-tailwind";
import { defineConfig } from "@twind/core";

export default defineConfig({
  presets: [presetTailwind()],
  hash: false,
  theme: {
    extend: {
      colors: {
        brand: { 50: "#f0f7ff", 100: "#dcebff", 600: "#1d5fbf", 700: "#174c99", 900: "#0f2f5f" },
        cream: "#fffaf0",
      },
      fontFamily: {
        sans: ["system-ui", "-apple-system", "Segoe UI", "Noto Sans Bengali", "sans-serif"],
      },
    },
  },
});
