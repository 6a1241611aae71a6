/**
 * The chart's accounts the postings from operations use, by code (migrations/0500 and 0501).
 * One place to read which event touches which account.
 */
export const ACC = {
  cash: "1110",
  riderCash: "1120",
  bank: "1151",
  bkash: "1160",
  nagad: "1161",
  sslcommerz: "1162",
  shopReceivable: "1220",
  invRawMilk: "1310",
  invIngredients: "1320",
  invPackaging: "1330",
  invFinished: "1340",
  invFeed: "1350",
  invMedicine: "1360",
  vatInput: "1410",
  supplierPayable: "2110",
  grni: "2140",
  prepaid: "2200",
  vatOutput: "2310",
  shopSales: "4110",
  byproductSales: "4130",
  deliveryFees: "4200",
  discounts: "4300",
  salesReturns: "4400",
  priceDifference: "5130",
} as const;
