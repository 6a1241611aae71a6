/**
 * One bank statement (three days of Dutch-Bangla account 1151) in every layout the import
 * reads: the generic CSV, the Dutch-Bangla, BRAC and City Bank presets, and camt.053 XML. Each
 * must read to the same lines.
 */

export const EXPECTED = [
  {
    valueDate: "2026-12-01",
    amountMinor: 56000,
    reference: "SD-2026-000123",
    description: "Transfer from R. Begum",
  },
  {
    valueDate: "2026-12-02",
    amountMinor: -5000,
    reference: "CHG-9912",
    description: "SMS banking charge",
  },
  {
    valueDate: "2026-12-03",
    amountMinor: 125050,
    reference: "BKS-20261203-01",
    description: "bKash settlement",
  },
];

export const GENERIC = `date,amount,reference,description
2026-12-01,560.00,SD-2026-000123,Transfer from R. Begum
2026-12-02,-50.00,CHG-9912,SMS banking charge
2026-12-03,"1,250.50",BKS-20261203-01,bKash settlement
`;

export const DBBL = `Txn Date,Description,Cheque/Ref No,Withdrawal,Deposit,Balance
01/12/2026,Transfer from R. Begum,SD-2026-000123,,560.00,560.00
02/12/2026,SMS banking charge,CHG-9912,50.00,,510.00
03/12/2026,bKash settlement,BKS-20261203-01,,"1,250.50","1,760.50"
`;

export const BRAC = `Tran Date,Value Date,Particulars,Cheque No,Withdrawal,Deposit,Balance
01-Dec-2026,01-Dec-2026,"Transfer from R. Begum",SD-2026-000123,,560.00,560.00
02-Dec-2026,02-Dec-2026,"SMS banking charge",CHG-9912,50.00,,510.00
03-Dec-2026,03-Dec-2026,"bKash settlement",BKS-20261203-01,,1250.50,1760.50
`;

export const CITY = `Date;Ref No;Narration;Debit;Credit;Balance
01-12-2026;SD-2026-000123;Transfer from R. Begum;;560.00;560.00
02-12-2026;CHG-9912;SMS banking charge;50.00;;510.00
03-12-2026;BKS-20261203-01;bKash settlement;;1,250.50;1,760.50
`;

const entry = (
  amount: string,
  ind: "CRDT" | "DBIT",
  date: string,
  ref: string,
  info: string,
) => `
      <Ntry>
        <Amt Ccy="BDT">${amount}</Amt>
        <CdtDbtInd>${ind}</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>${date}</Dt></BookgDt>
        <ValDt><Dt>${date}</Dt></ValDt>
        <AcctSvcrRef>DBBL-${date}</AcctSvcrRef>
        <NtryDtls>
          <TxDtls>
            <Refs><EndToEndId>${ref}</EndToEndId></Refs>
            <RmtInf><Ustrd>${info}</Ustrd></RmtInf>
          </TxDtls>
        </NtryDtls>
        <AddtlNtryInf>${info}</AddtlNtryInf>
      </Ntry>`;

export const CAMT = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>DBBL-20261203</MsgId><CreDtTm>2026-12-03T23:59:00+06:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-1151-20261203</Id>
      <Acct><Id><Othr><Id>1051100012345</Id></Othr></Id><Ccy>BDT</Ccy></Acct>
      <Bal>
        <Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="BDT">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-30</Dt></Dt>
      </Bal>
      <Bal>
        <Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="BDT">1760.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-03</Dt></Dt>
      </Bal>${entry("560.00", "CRDT", "2026-12-01", "SD-2026-000123", "Transfer from R. Begum")}${
  entry("50.00", "DBIT", "2026-12-02", "CHG-9912", "SMS banking charge")
}${entry("1250.50", "CRDT", "2026-12-03", "BKS-20261203-01", "bKash settlement")}
    </Stmt>
  </BkToCstmrStmt>
</Document>
`;

/** A bKash settlement report: two settlements (gross = fee + net). */
export const BKASH_SETTLEMENT =
  `Settlement Date,Settlement ID,Transactions,Gross Amount,Fee,Net Amount
03/12/2026,BKS-20261203-01,2,1275.00,24.50,1250.50
`;
