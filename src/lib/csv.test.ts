import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

describe('toCsv', () => {
  it('writes plain rows with CRLF line ends, numbers and empty cells as they are', () => {
    expect(
      toCsv(
        ['a', 'b', 'c'],
        [
          ['x', 0.5, null],
          ['y', -2, true],
        ],
      ),
    ).toBe('a,b,c\r\nx,0.5,\r\ny,-2,true\r\n');
  });

  it('quotes fields with commas, quotes, CR or LF and doubles their quotes (RFC 4180)', () => {
    const csv = toCsv(['prompt'], [['Paris, France'], ['say "hi"'], ['two\nlines'], ['cr\rhere']]);
    expect(csv).toBe('prompt\r\n"Paris, France"\r\n"say ""hi"""\r\n"two\nlines"\r\n"cr\rhere"\r\n');
  });

  it('defuses text cells a spreadsheet would run as formulas, not numbers', () => {
    const csv = toCsv(
      ['x'],
      [['=1+1'], ['+A1'], ['-2+3'], ['@SUM(A1)'], ['\tTab'], ['=HYPERLINK("u","a,b")'], [-1]],
    );
    expect(csv.split('\r\n')).toEqual([
      'x',
      "'=1+1",
      "'+A1",
      "'-2+3",
      "'@SUM(A1)",
      "'\tTab",
      `"'=HYPERLINK(""u"",""a,b"")"`,
      '-1',
      '',
    ]);
  });
});
