// English messages. This file defines the shape every other catalog must match.
export const en = {
  lang: { name: "English", switchTo: "বাংলা", code: "en" },
  site: {
    name: "Smart Dairy",
    tagline: "Fresh milk from our farm to your door",
    description:
      "Smart Dairy Ltd. — fresh milk, yogurt, butter, ghee and cheese from our own farm, delivered across Dhaka every morning.",
    skip: "Skip to content",
  },
  nav: {
    home: "Home",
    shop: "Shop",
    about: "About the farm",
    delivery: "Delivery areas",
    contact: "Contact",
    signIn: "Sign in",
    account: "My account",
    menu: "Menu",
  },
  home: {
    title: "Smart Dairy — fresh milk from our farm",
    heroTitle: "Milk the way it should taste",
    heroText:
      "Our 255 cows graze and are milked at our farm, and the milk is chilled within minutes and at your door by 7 am.",
    heroCta: "See our products",
    storyTitle: "Our farm",
    story: [
      "Smart Dairy started as a family farm with a handful of cows. Today our herd of 255 Holstein-Friesian and Sahiwal crosses gives about 900 litres a day, and we are growing.",
      "Every cow has a name, an ear tag and a health record. Milk from a cow under treatment never reaches the tank, and every batch is tested for fat, SNF and bacteria before it leaves.",
      "We chill the milk to 4 °C within two hours of milking and keep it cold all the way to you.",
    ],
    productsTitle: "From our dairy",
    products: [
      { name: "Fresh milk", text: "Pasteurised, never powdered. 500 ml and 1 litre." },
      { name: "Yogurt (doi)", text: "Sweet and plain doi, set in clay pots the traditional way." },
      { name: "Butter", text: "Churned from our own cream, salted and unsalted." },
      { name: "Ghee", text: "Slow-cooked, golden and fragrant." },
      { name: "Cheese", text: "Fresh paneer and mozzarella for home cooking." },
    ],
    areasTitle: "Where we deliver",
    areasText: "Morning delivery across these areas of Dhaka. Order by 10 pm for the next morning.",
    areasCta: "All delivery areas",
  },
  about: {
    title: "About the farm",
    intro: "Smart Dairy Ltd. runs its own farm and dairy, so we know where every litre comes from.",
    sections: [
      {
        title: "The herd",
        text:
          "255 cattle today, growing to 800: milking cows, dry cows, heifers and calves, each with a full record of breeding, health and yield.",
      },
      {
        title: "Cold chain",
        text:
          "Milk leaves the cow at about 37 °C. Our bulk tanks bring it below 4 °C within two hours, and sensors watch every tank day and night.",
      },
      {
        title: "Quality",
        text:
          "Each batch is tested for fat, SNF, somatic cells and antibiotics. Milk from cows under treatment is kept apart until the withdrawal period has passed.",
      },
    ],
  },
  delivery: {
    title: "Delivery areas",
    intro: "We deliver to the areas below, every day, in the slots you can choose at checkout.",
    slots: "When we deliver",
    /** "Order by 10 pm the day before" for a slot's cut-off (HH:MM, days before delivery). */
    orderBy: (time: string, daysBefore: number) => {
      const [h, m] = time.split(":").map(Number);
      const clock = `${h % 12 || 12}${m ? `:${String(m).padStart(2, "0")}` : ""} ${
        h < 12 ? "am" : "pm"
      }`;
      const day = daysBefore === 0
        ? "the same day"
        : daysBefore === 1
        ? "the day before"
        : `${daysBefore} days before`;
      return `Order by ${clock} ${day}`;
    },
    extraFee: (fee: string) => `${fee} extra`,
    area: "Area",
    fee: "Delivery fee",
    minimum: "Minimum order",
  },
  contact: {
    title: "Contact us",
    intro: "Questions about an order, a subscription or wholesale supply? Write to us.",
    name: "Your name",
    phone: "Mobile number",
    email: "Email (optional)",
    topic: "Topic",
    topics: {
      order: "An order",
      subscription: "Daily milk subscription",
      wholesale: "Wholesale / B2B",
      other: "Something else",
    },
    message: "Message",
    charsLeft: "characters left",
    send: "Send message",
    sent: "Thank you — we received your message and will reply within one working day.",
    fixErrors: "Please correct the fields marked below.",
    address: "Smart Dairy Ltd., Dhaka, Bangladesh",
    hotline: "Hotline",
  },
  errors: {
    notFoundTitle: "Page not found",
    notFoundText: "We could not find that page. It may have moved.",
    errorTitle: "Something went wrong",
    back: "Back to the home page",
  },
  validation: {
    required: "This field is required",
    tooShort: "Too short",
    tooLong: "Too long",
    phone: "Enter a Bangladesh mobile number such as 01712-345678",
    email: "Enter a valid email address",
    choose: "Choose one of the options",
  },
  farm: {
    title: "Farm app",
    intro: "Record milkings, heats, inseminations, calvings and treatments, even without signal.",
    signInPrompt: "Sign in with your staff account to start.",
    install: "Add this app to your home screen to use it offline in the barn.",
  },
  offline: {
    title: "You are offline",
    text:
      "This page needs a connection. Entries you made in the farm app are kept on this phone and sent when you are back online.",
  },
  footer: {
    rights: "All rights reserved.",
    hours: "Hotline 8 am – 10 pm, every day",
  },
};

// deno-lint-ignore no-explicit-any
type Widen<T> = T extends (...args: any[]) => unknown ? T
  : T extends string ? string
  : T extends readonly (infer U)[] ? Widen<U>[]
  : { [K in keyof T]: Widen<T[K]> };

/** The shape of a message catalog. */
export type Messages = Widen<typeof en>;
