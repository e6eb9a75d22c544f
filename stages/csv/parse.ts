/**
 * CSV text (RFC 4180: comma-separated, fields in double quotes may hold commas, newlines and ""
 * for a quote) → rows of fields, each with the line it starts on. Blank lines are skipped.
 */

export interface CsvRow {
  /** 1-based line the row starts on */
  line: number;
  fields: string[];
}

/** Thrown for an unterminated quoted field or text after a closing quote. */
export class CsvError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let start = 1;
  let i = 0;
  let any = false;
  const endRow = (): void => {
    fields.push(field);
    if (any || fields.length > 1 || field !== "") rows.push({ line: start, fields });
    fields = [];
    field = "";
    any = false;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' && field === "") {
      const open = line;
      i++;
      for (;;) {
        if (i >= text.length) throw new CsvError(open, "a quoted field is not closed");
        const d = text[i]!;
        if (d === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (d === "\n") line++;
        field += d;
        i++;
      }
      any = true;
      const next = text[i];
      if (next !== undefined && next !== "," && next !== "\n" && next !== "\r")
        throw new CsvError(line, "text after a closing quote");
      continue;
    }
    if (c === ",") {
      fields.push(field);
      field = "";
      any = true;
      i++;
    } else if (c === "\n" || c === "\r") {
      endRow();
      if (c === "\r" && text[i + 1] === "\n") i++;
      i++;
      line++;
      start = line;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== "" || fields.length > 0 || any) endRow();
  return rows;
}
