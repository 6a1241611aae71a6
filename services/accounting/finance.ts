/**
 * The VAT and reporting use cases of the accounting door (issue 13 §6, §7), spread into
 * `createAccounting`'s result: tax classes and `taxRateOn`, the registers (Mushak 6.1, 6.2), the
 * return figures (9.1) with the documents behind each note, VAT deducted at source certificates
 * (6.6), profit and loss, balance sheet, cash flow, the finance dashboard.
 *
 * Documents other contexts own (a supplier bill's number, supplier and BIN) come through
 * `connectVatSources` (contexts.ts, once the purchase door exists); without it the registers
 * show what the ledger knows.
 */
import type { Db } from "@/services/platform/tx.ts";
import type { Actor } from "./types.ts";
import * as tax from "./vat/tax_classes.ts";
import * as returns from "./vat/returns.ts";
import * as withholding from "./vat/withholding.ts";
import type { VatDocumentSources } from "./vat/sources.ts";
import * as statements from "./statements.ts";
import * as sales from "./sales_report.ts";

export function createFinance(sql: Db, today: () => string) {
  let sources: VatDocumentSources = {};
  let salesSources: sales.SalesSources = {
    productCosts: (items, from, to) => sales.ledgerProductCosts(sql, items, from, to),
  };
  return {
    /** Hands the VAT registers the other contexts' documents (contexts.ts). */
    connectVatSources(s: VatDocumentSources) {
      sources = { ...sources, ...s };
    },
    /** Hands the sales report the shop's figures (contexts.ts); costs may be replaced too. */
    connectSalesSources(s: sales.SalesSources) {
      salesSources = { ...salesSources, ...s };
    },
    /** Sales by product (with the margin where the cost is known), channel or area. */
    salesReport: (
      by: sales.SalesDimension,
      range: statements.Range,
      compare?: statements.Range | null,
    ) => sales.salesReport(salesSources, by, range, compare ?? null),
    // tax classes
    listTaxClasses: () => tax.listTaxClasses(sql, today()),
    /** The VAT and SD rate of a class on a date (YYYY-MM-DD); null when none. */
    taxRateOn: (classCode: string, date: string) => tax.taxRateOn(sql, classCode, date),
    addTaxRate: (classCode: string, input: tax.TaxRateInput, actor: Actor) =>
      tax.addTaxRate(sql, classCode, input, actor),
    createTaxClass: (input: tax.TaxClassInput, actor: Actor) =>
      tax.createTaxClass(sql, input, actor),
    // VAT registers and the return
    salesRegister: (from: string, to: string) => returns.salesRegister(sql, from, to, sources),
    purchaseRegister: (from: string, to: string) =>
      returns.purchaseRegister(sql, from, to, sources),
    vatReturn: (month: string) => returns.vatReturn(sql, month, sources),
    // VAT deducted at source (Mushak 6.6)
    recordWithholding: (input: withholding.WithholdingInput, actor: Actor) =>
      withholding.recordWithholding(sql, input, actor),
    listWithholdings: (from: string, to: string) => withholding.listWithholdings(sql, from, to),
    receivableAccounts: () => withholding.receivableAccounts(sql),
    // statements
    profitAndLoss: (range: statements.Range, compare?: statements.Range | null) =>
      statements.profitAndLoss(sql, range, compare ?? null),
    balanceSheet: (at: string, compareAt?: string | null) =>
      statements.balanceSheet(sql, at, compareAt ?? null),
    cashFlow: (range: statements.Range, compare?: statements.Range | null) =>
      statements.cashFlow(sql, range, compare ?? null),
    /** Cash, receivables, payables, income and VAT due: this month against last. */
    async financeDashboard() {
      const day = today();
      const month = day.slice(0, 7);
      const [figures, vatNow, vatLast] = await Promise.all([
        statements.financeFigures(sql, day),
        returns.vatReturn(sql, month, sources),
        returns.vatReturn(sql, returns.previousMonth(month), sources),
      ]);
      return {
        ...figures,
        vat: {
          month,
          lastMonth: returns.previousMonth(month),
          thisMonthMinor: vatNow.netPayableMinor,
          lastMonthMinor: vatLast.netPayableMinor,
          dueOn: vatLast.dueOn,
        },
      };
    },
  };
}

export type Finance = ReturnType<typeof createFinance>;
