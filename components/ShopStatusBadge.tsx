import { StatusPill } from "./ui.tsx";

const COLORS: Record<string, string> = {
  pending_payment: "bg-amber-100 text-amber-900",
  confirmed: "bg-blue-100 text-blue-900",
  packed: "bg-indigo-100 text-indigo-900",
  out_for_delivery: "bg-purple-100 text-purple-900",
  delivered: "bg-green-100 text-green-900",
  cancelled: "bg-gray-200 text-gray-800",
  refunded: "bg-gray-200 text-gray-800",
};

/** An order status as a coloured pill (the UI kit's StatusPill, fully rounded). */
export function ShopStatusBadge(props: { status: string; label: string }) {
  return <StatusPill status={props.status} label={props.label} colors={COLORS} round />;
}
