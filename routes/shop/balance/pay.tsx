import { PayHopPage, paymentHop } from "../(_lib)/pay_hop.tsx";

/** The same-origin hop to the provider for a top-up (see (_lib)/pay_hop.tsx for why). */
export const handler = paymentHop("topup", "/shop/balance");

export default PayHopPage;
