/**
 * A small C preprocessor subset for reading kernel uapi and glibc headers: comments, line
 * continuations, #define (object-like and function-like), #undef, #if/#ifdef/#ifndef/#elif/
 * #else/#endif with defined(), and `enum { A = expr, B, ... }` blocks. #include is NOT followed:
 * callers list the files to read explicitly, in order.
 *
 * Integer expressions are evaluated with BigInt (no 32-bit wrap-around surprises for
 * `1U << 31` or CLONE_CLEAR_SIGHAND = 0x100000000ULL). The ioctl encoders _IO/_IOR/_IOW/_IOWR/_IOC
 * are built in (asm-generic/ioctl.h layout, used by x86 and arm64) and take their size argument
 * from an explicit table of type sizes; an unknown type makes the expression unresolved.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

export interface SymbolDef {
  readonly name: string;
  /** Path relative to the include root, e.g. "asm-generic/fcntl.h". */
  readonly file: string;
  readonly origin: "define" | "enum";
  /** `# define X` (indented after the `#`): prctl.h uses this for sub-values. */
  readonly indented: boolean;
}

interface Macro {
  readonly body: string;
  readonly params?: readonly string[];
}

export class UnresolvedError extends Error {}

/** Sizes (x86_64 / LP64) of the types that appear as the size argument of _IOR/_IOW. */
export const IOCTL_TYPE_SIZES: Readonly<Record<string, number>> = {
  int: 4,
  "unsigned int": 4,
  __u32: 4,
  __s32: 4,
  __u64: 8,
  __s64: 8,
  "long long [ 2 ]": 16,
  // struct termios2 (asm-generic/termbits.h): 4 x tcflag_t(4) + c_line(1) + c_cc[NCCS=19] = 36,
  // + c_ispeed, c_ospeed (speed_t, 4 each) = 44; 4-byte aligned, no padding.
  "struct termios2": 44,
};

const IOC_NRSHIFT = 0n;
const IOC_TYPESHIFT = 8n;
const IOC_SIZESHIFT = 16n;
const IOC_DIRSHIFT = 30n;
const IOC_DIR: Readonly<Record<string, bigint>> = { _IO: 0n, _IOW: 1n, _IOR: 2n, _IOWR: 3n };

type Token = { t: "num"; v: bigint } | { t: "id"; v: string } | { t: "op"; v: string };

const CAST_RE =
  /\(\s*(?:__force\s+)?(?:const\s+)?(?:(?:unsigned|signed)\s+)?(?:long\s+long|long|int|short|char|unsigned|__u8|__u16|__u32|__u64|__s8|__s16|__s32|__s64|__poll_t|__le16|__le32|__be16|__be32|size_t|u32|u64|__kernel_\w+)(?:\s+int)?\s*\)/g;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const s = src.replace(CAST_RE, " ");
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(0[xX][0-9a-fA-F]+|[0-9]+)([uUlL]*)/.exec(s.slice(i));
    if (num) {
      const lit = num[1]!;
      let v: bigint;
      if (/^0[xX]/.test(lit)) v = BigInt(lit);
      else if (lit.length > 1 && lit.startsWith("0")) v = BigInt("0o" + lit.slice(1));
      else v = BigInt(lit);
      out.push({ t: "num", v });
      i += num[0].length;
      continue;
    }
    const chr = /^'(\\?.)'/.exec(s.slice(i));
    if (chr) {
      const body = chr[1]!;
      const ch = body.length === 2 ? body[1]! : body;
      out.push({ t: "num", v: BigInt(ch.charCodeAt(0)) });
      i += chr[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i));
    if (id) {
      out.push({ t: "id", v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = /^(<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^~!<>()?:,[\]])/.exec(s.slice(i));
    if (op) {
      out.push({ t: "op", v: op[0] });
      i += op[0].length;
      continue;
    }
    throw new UnresolvedError(`cannot tokenize ${JSON.stringify(s.slice(i, i + 12))}`);
  }
  return out;
}

const BINARY_PRECEDENCE: Readonly<Record<string, number>> = {
  "||": 1,
  "&&": 2,
  "|": 3,
  "^": 4,
  "&": 5,
  "==": 6,
  "!=": 6,
  "<": 7,
  ">": 7,
  "<=": 7,
  ">=": 7,
  "<<": 8,
  ">>": 8,
  "+": 9,
  "-": 9,
  "*": 10,
  "/": 10,
  "%": 10,
};

export class Env {
  private readonly macros = new Map<string, Macro>();
  private readonly enumValues = new Map<string, bigint>();
  readonly symbols: SymbolDef[] = [];

  constructor(
    readonly includeRoot: string,
    predefined: Readonly<Record<string, string>>,
  ) {
    for (const [k, v] of Object.entries(predefined)) this.macros.set(k, { body: v });
  }

  isDefined(name: string): boolean {
    return this.macros.has(name) || this.enumValues.has(name);
  }

  /** Reads one header; when `collect` is false its symbols only serve as context. */
  load(rel: string, collect: boolean): void {
    const text = readFileSync(path.join(this.includeRoot, rel), "utf8");
    const noComments = text.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\/\/[^\n]*/g, "");
    const lines = noComments.replace(/\\\r?\n/g, " ").split(/\r?\n/);
    // stack entries: [active, anyBranchTaken, parentActive]
    const stack: [boolean, boolean, boolean][] = [];
    const active = (): boolean => (stack.length === 0 ? true : stack[stack.length - 1]![0]);
    let code = "";
    for (const raw of lines) {
      const m = /^\s*#(\s*)(\w+)\s*(.*)$/.exec(raw);
      if (!m) {
        if (active()) code += raw + "\n";
        continue;
      }
      const [, space, directive, rest] = m as unknown as [string, string, string, string];
      switch (directive) {
        case "ifdef":
        case "ifndef": {
          const parent = active();
          const name = rest.trim().split(/\s+/)[0] ?? "";
          const cond = this.isDefined(name) === (directive === "ifdef");
          stack.push([parent && cond, cond, parent]);
          break;
        }
        case "if": {
          const parent = active();
          const cond = parent ? this.evalCondition(rest) : false;
          stack.push([parent && cond, cond, parent]);
          break;
        }
        case "elif": {
          const top = stack[stack.length - 1];
          if (!top) throw new Error(`${rel}: #elif without #if`);
          if (top[1] || !top[2]) top[0] = false;
          else {
            const cond = this.evalCondition(rest);
            top[0] = cond;
            top[1] = cond;
          }
          break;
        }
        case "else": {
          const top = stack[stack.length - 1];
          if (!top) throw new Error(`${rel}: #else without #if`);
          top[0] = top[2] && !top[1];
          top[1] = true;
          break;
        }
        case "endif":
          stack.pop();
          break;
        case "define": {
          if (!active()) break;
          const d = /^([A-Za-z_]\w*)(\(([^)]*)\))?\s*(.*)$/.exec(rest);
          if (!d) break;
          const name = d[1]!;
          const params = d[2] !== undefined ? d[3]!.split(",").map((p) => p.trim()) : undefined;
          this.macros.set(name, params ? { body: d[4]!.trim(), params } : { body: d[4]!.trim() });
          if (collect && !params)
            this.symbols.push({ name, file: rel, origin: "define", indented: space.length > 0 });
          break;
        }
        case "undef":
          if (active()) this.macros.delete(rest.trim());
          break;
        default:
          break; // include, error, warning, pragma
      }
    }
    this.parseEnums(code, rel, collect);
  }

  private parseEnums(code: string, rel: string, collect: boolean): void {
    const re = /\benum\b\s*\w*\s*\{([^}]*)\}/g;
    for (let m = re.exec(code); m; m = re.exec(code)) {
      let next = 0n;
      for (const item of m[1]!.split(",")) {
        const e = /^\s*([A-Za-z_]\w*)\s*(?:=\s*([\s\S]+?))?\s*$/.exec(item);
        if (!e) continue;
        const name = e[1]!;
        let value: bigint | undefined;
        try {
          value = e[2] !== undefined ? this.evaluate(e[2]) : next;
        } catch {
          value = undefined; // e.g. __constant_cpu_to_be32(...): not an integer constant we model
        }
        if (value === undefined) continue;
        this.enumValues.set(name, value);
        next = value + 1n;
        if (collect) this.symbols.push({ name, file: rel, origin: "enum", indented: false });
      }
    }
  }

  evalCondition(expr: string): boolean {
    try {
      return this.evalTokens(tokenize(expr), true, new Set()) !== 0n;
    } catch {
      return false;
    }
  }

  /** Value of an expression; throws UnresolvedError when it cannot be computed exactly. */
  evaluate(expr: string): bigint {
    return this.evalTokens(tokenize(expr), false, new Set());
  }

  valueOf(name: string): bigint {
    return this.evalTokens([{ t: "id", v: name }], false, new Set());
  }

  private evalTokens(tokens: Token[], inIf: boolean, expanding: ReadonlySet<string>): bigint {
    let pos = 0;
    const peek = (): Token | undefined => tokens[pos];
    const isOp = (v: string): boolean => {
      const t = tokens[pos];
      return t !== undefined && t.t === "op" && t.v === v;
    };
    const expect = (v: string): void => {
      if (!isOp(v)) throw new UnresolvedError(`expected ${v}`);
      pos++;
    };
    /** Raw argument token lists of a call whose '(' is at pos. */
    const callArgs = (): Token[][] => {
      expect("(");
      const args: Token[][] = [[]];
      let depth = 0;
      for (;;) {
        const t = tokens[pos++];
        if (!t) throw new UnresolvedError("unterminated call");
        if (t.t === "op" && t.v === "(") depth++;
        if (t.t === "op" && t.v === ")") {
          if (depth === 0) break;
          depth--;
        }
        if (t.t === "op" && t.v === "," && depth === 0) args.push([]);
        else args[args.length - 1]!.push(t);
      }
      return args;
    };
    const text = (ts: Token[]): string => ts.map((t) => (t.t === "num" ? t.v.toString() : t.v)).join(" ");

    const primary = (): bigint => {
      const t = peek();
      if (!t) throw new UnresolvedError("unexpected end");
      pos++;
      if (t.t === "num") return t.v;
      if (t.t === "op") {
        switch (t.v) {
          case "(": {
            const v = ternary();
            expect(")");
            return v;
          }
          case "-":
            return -primary();
          case "+":
            return primary();
          case "~":
            return ~primary();
          case "!":
            return primary() === 0n ? 1n : 0n;
          default:
            throw new UnresolvedError(`unexpected ${t.v}`);
        }
      }
      const name = t.v;
      if (inIf && name === "defined") {
        const paren = isOp("(");
        if (paren) pos++;
        const n = peek();
        if (!n || n.t !== "id") throw new UnresolvedError("defined without name");
        pos++;
        if (paren) expect(")");
        return this.isDefined(n.v) ? 1n : 0n;
      }
      if (name in IOC_DIR || name === "_IOC") {
        const args = callArgs();
        const ev = (ts: Token[] | undefined): bigint => {
          if (!ts) throw new UnresolvedError(`${name}: missing argument`);
          return this.evalTokens(ts, inIf, expanding);
        };
        let dir: bigint;
        let size: bigint;
        if (name === "_IOC") {
          dir = ev(args[0]);
          size = ev(args[3]);
          args.shift();
        } else {
          dir = IOC_DIR[name]!;
          if (name === "_IO") size = 0n;
          else {
            const typeText = text(args[2] ?? []);
            const sz = IOCTL_TYPE_SIZES[typeText];
            if (sz === undefined) throw new UnresolvedError(`size of ${typeText} unknown`);
            size = BigInt(sz);
          }
        }
        const type = ev(args[0]);
        const nr = ev(args[1]);
        return (
          (dir << IOC_DIRSHIFT) | (size << IOC_SIZESHIFT) | (type << IOC_TYPESHIFT) | (nr << IOC_NRSHIFT)
        );
      }
      const macro = this.macros.get(name);
      if (macro && !expanding.has(name)) {
        const inner = new Set(expanding).add(name);
        if (macro.params) {
          if (!isOp("(")) throw new UnresolvedError(`${name} used without arguments`);
          const args = callArgs();
          const params = macro.params;
          const body = tokenize(macro.body).flatMap((bt) => {
            if (bt.t !== "id") return [bt];
            const idx = params.indexOf(bt.v);
            if (idx < 0) return [bt];
            return [{ t: "op", v: "(" } as Token, ...(args[idx] ?? []), { t: "op", v: ")" } as Token];
          });
          return this.evalTokens(body, inIf, inner);
        }
        if (macro.body === "") {
          if (inIf) return 0n;
          throw new UnresolvedError(`${name} is empty`);
        }
        return this.evalTokens(tokenize(macro.body), inIf, inner);
      }
      const ev = this.enumValues.get(name);
      if (ev !== undefined) return ev;
      if (inIf) return 0n;
      throw new UnresolvedError(`unresolved identifier ${name}`);
    };

    const binary = (minPrec: number): bigint => {
      let left = primary();
      for (;;) {
        const t = peek();
        if (!t || t.t !== "op") break;
        const prec = BINARY_PRECEDENCE[t.v];
        if (prec === undefined || prec < minPrec) break;
        pos++;
        const right = binary(prec + 1);
        left = applyBinary(t.v, left, right);
      }
      return left;
    };
    const ternary = (): bigint => {
      const c = binary(1);
      if (!isOp("?")) return c;
      pos++;
      const a = ternary();
      expect(":");
      const b = ternary();
      return c !== 0n ? a : b;
    };
    const v = ternary();
    if (pos !== tokens.length) throw new UnresolvedError(`trailing tokens in ${text(tokens)}`);
    return v;
  }
}

function applyBinary(op: string, a: bigint, b: bigint): bigint {
  switch (op) {
    case "||":
      return a !== 0n || b !== 0n ? 1n : 0n;
    case "&&":
      return a !== 0n && b !== 0n ? 1n : 0n;
    case "|":
      return a | b;
    case "^":
      return a ^ b;
    case "&":
      return a & b;
    case "==":
      return a === b ? 1n : 0n;
    case "!=":
      return a !== b ? 1n : 0n;
    case "<":
      return a < b ? 1n : 0n;
    case ">":
      return a > b ? 1n : 0n;
    case "<=":
      return a <= b ? 1n : 0n;
    case ">=":
      return a >= b ? 1n : 0n;
    case "<<":
      return a << b;
    case ">>":
      return a >> b;
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      if (b === 0n) throw new UnresolvedError("division by zero");
      return a / b;
    case "%":
      if (b === 0n) throw new UnresolvedError("division by zero");
      return a % b;
    default:
      throw new UnresolvedError(`operator ${op}`);
  }
}
