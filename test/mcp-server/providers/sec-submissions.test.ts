import { describe, expect, it } from 'vitest';
import { eightKEvents, submissionsProfileFields } from '../../../src/mcp-server/providers/sec-submissions.js';

// Shaped like data.sec.gov/submissions/CIK0001045810.json (fields trimmed).
const doc = {
  cik: '0001045810',
  name: 'NVIDIA CORP',
  sic: '3674',
  sicDescription: 'Semiconductors & Related Devices',
  exchanges: ['Nasdaq'],
  fiscalYearEnd: '0131',
  filings: {
    recent: {
      accessionNumber: ['0001045810-26-000019', '0001045810-26-000010', '0001045810-25-000300'],
      filingDate: ['2026-02-25', '2026-02-10', '2025-11-19'],
      form: ['8-K', '4', '8-K/A'],
      items: ['2.02,9.01', '', '5.02'],
    },
  },
};

describe('SEC submissions readers', () => {
  it('reads identity fields', () => {
    expect(submissionsProfileFields(doc)).toEqual({
      cik: '0001045810',
      name: 'NVIDIA CORP',
      exchange: 'Nasdaq',
      sic: { code: '3674', description: 'Semiconductors & Related Devices' },
      fiscalYearEnd: '01-31',
    });
  });

  it('keeps 8-K filings only, newest first, titled from item codes with the filing index URL', () => {
    const events = eightKEvents(doc);
    expect(events.map((e) => e.kind)).toEqual(['8-K', '8-K/A']);
    expect(events[0]).toMatchObject({
      date: '2026-02-25',
      items: ['2.02', '9.01'],
      title: '8-K: Results of Operations and Financial Condition (2.02); Financial Statements and Exhibits (9.01)',
      url: 'https://www.sec.gov/Archives/edgar/data/1045810/000104581026000019/0001045810-26-000019-index.htm',
      source: { provider: 'sec-submissions', ref: '8-K accn 0001045810-26-000019', asOf: '2026-02-25' },
    });
    expect(events[1]?.title).toContain('Departure or Appointment of Directors');
  });
});
