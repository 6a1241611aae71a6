/** The colours of a webhook subscription's and a delivery's status on the staff screens. */
export const SUBSCRIPTION_COLORS = {
  active: "bg-green-100 text-green-900",
  disabled: "bg-red-100 text-red-900",
};

export const DELIVERY_COLORS = {
  queued: "bg-yellow-100 text-yellow-900",
  sending: "bg-blue-100 text-blue-900",
  failed: "bg-orange-100 text-orange-900",
  succeeded: "bg-green-100 text-green-900",
  dead: "bg-red-100 text-red-900",
};
