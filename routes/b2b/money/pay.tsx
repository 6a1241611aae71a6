import { PayHopPage, paymentHop } from "@/routes/shop/(_lib)/pay_hop.tsx";

/**
 * The same-origin hop to the provider for a payment on account (the shop's hop page: a form may
 * not redirect to another origin under our CSP).
 */
export const handler = paymentHop("account", "/b2b/money");

export default PayHopPage;
