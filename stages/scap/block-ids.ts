/**
 * Block type ids of the scap file format (falcosecurity/libs userspace/libscap/scap_savefile.h).
 */

/** Section header block (pcapng SHB). */
export const SHB = 0x0a0d0d0a;
/** SHB byte-order magic as read little-endian. */
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** What a block holds. */
export type BlockKind = "shb" | "machine_info" | "proclist" | "fdlist" | "iflist" | "userlist" | "event";

/** Known block ids → kind (current and old `0x80xxABCD` ids). */
export const BLOCK_KINDS: ReadonlyMap<number, BlockKind> = new Map<number, BlockKind>([
  [SHB, "shb"],
  [0x201, "machine_info"],
  [0x8002abcd, "machine_info"],
  [0x202, "proclist"],
  [0x8000abcd, "proclist"],
  [0x207, "proclist"],
  [0x209, "proclist"],
  [0x210, "proclist"],
  [0x211, "proclist"],
  [0x8013abcd, "proclist"],
  [0x212, "proclist"],
  [0x8014abcd, "proclist"],
  [0x213, "proclist"],
  [0x214, "proclist"],
  [0x215, "proclist"],
  [0x203, "fdlist"],
  [0x8001abcd, "fdlist"],
  [0x218, "fdlist"],
  [0x205, "iflist"],
  [0x8011abcd, "iflist"],
  [0x219, "iflist"],
  [0x206, "userlist"],
  [0x8012abcd, "userlist"],
  [0x220, "userlist"],
  [0x204, "event"],
  [0x8010abcd, "event"],
  [0x208, "event"],
  [0x216, "event"],
  [0x217, "event"],
  [0x221, "event"],
  [0x222, "event"],
]);

/** Layout of an event block: header version, whether a u32 flags word follows cpuid. */
export interface EventBlockLayout {
  readonly v2: boolean;
  readonly hasFlags: boolean;
}

/** Event block id → layout. */
export const EVENT_LAYOUTS: ReadonlyMap<number, EventBlockLayout> = new Map([
  [0x204, { v2: false, hasFlags: false }],
  [0x8010abcd, { v2: false, hasFlags: false }],
  [0x208, { v2: false, hasFlags: true }],
  [0x216, { v2: true, hasFlags: false }],
  [0x217, { v2: true, hasFlags: true }],
  [0x221, { v2: true, hasFlags: false }],
  [0x222, { v2: true, hasFlags: true }],
]);

/** Process list block id → format version (1…9). */
export const PROCLIST_VERSIONS: ReadonlyMap<number, number> = new Map([
  [0x202, 1],
  [0x8000abcd, 1],
  [0x207, 2],
  [0x8013abcd, 2],
  [0x209, 3],
  [0x8014abcd, 3],
  [0x210, 4],
  [0x211, 5],
  [0x212, 6],
  [0x213, 7],
  [0x214, 8],
  [0x215, 9],
]);
