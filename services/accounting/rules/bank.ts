/**
 * Bank and wallets → journal entries (pure).
 *
 * - A provider's settlement: the provider paid `net` into the bank and kept `fee` of the `gross`
 *   it held for us: Dr bank (net) + Dr 5200 payment provider fees (fee) / Cr the provider's
 *   wallet (gross). Idempotent on the wallet and the settlement's reference.
 * - A statement line the accountant posts to an account (bank charges 5210, interest 4900…):
 *   money in: Dr bank / Cr the account; money out: Dr the account / Cr bank. Idempotent on the
 *   statement line. The bank's side is the entry's first line.
 */
import type { Posting } from "../types.ts";

export const PROVIDER_FEES = "5200";

export interface SettlementEvent {
  walletCode: string;
  bankCode: string;
  provider: string;
  reference: string;
  settledOn: string;
  grossMinor: number;
  feeMinor: number;
  netMinor: number;
}

export function settlementEntry(e: SettlementEvent): Posting {
  const partnerRef = `settlement:${e.provider}:${e.reference}`.slice(0, 80);
  return {
    source: "accounting.settlement",
    sourceRef: `${e.walletCode}:${e.reference}`,
    date: e.settledOn,
    journal: "BANK",
    memo: `${e.provider} settlement ${e.reference}`.slice(0, 300),
    lines: [
      {
        account: e.bankCode,
        debitMinor: e.netMinor,
        partnerRef,
        memo: `Settlement ${e.reference}`,
      },
      ...(e.feeMinor > 0
        ? [{
          account: PROVIDER_FEES,
          debitMinor: e.feeMinor,
          partnerRef,
          memo: `${e.provider} fee`,
        }]
        : []),
      { account: e.walletCode, creditMinor: e.grossMinor, partnerRef },
    ].map((l) => ({ ...l, memo: (l.memo ?? "").slice(0, 200) })),
  };
}

export interface BankLineEvent {
  lineId: number;
  bankCode: string;
  account: string;
  valueDate: string;
  amountMinor: number;
  memo: string;
}

export function bankLineEntry(e: BankLineEvent): Posting {
  const a = Math.abs(e.amountMinor);
  const memo = e.memo.slice(0, 200);
  return {
    source: "accounting.bank_line",
    sourceRef: String(e.lineId),
    date: e.valueDate,
    journal: "BANK",
    memo: e.memo.slice(0, 300),
    lines: e.amountMinor > 0
      ? [{ account: e.bankCode, debitMinor: a, memo }, { account: e.account, creditMinor: a, memo }]
      : [{ account: e.bankCode, creditMinor: a, memo }, {
        account: e.account,
        debitMinor: a,
        memo,
      }],
  };
}
