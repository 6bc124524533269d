/**
 * A running 64-bit FNV-1a hash over the scheduler's events, so two runs can be compared by one value.
 *
 * Why FNV-1a: it is incremental, order-sensitive, and simple enough to compute on two 32-bit halves
 * with exact double arithmetic, so hashing an event costs no allocation and no BigInt. The determinism
 * test (test/determinism.test.ts) runs each seed twice and compares these hashes, as madsim does.
 */

const FNV_OFFSET_HIGH = 0xcbf2_9ce4;
const FNV_OFFSET_LOW = 0x8422_2325;
/** The 64-bit FNV prime is 2^40 + 0x1b3. */
const FNV_PRIME_LOW = 0x1b3;
const TWO_POW_32 = 0x1_0000_0000;

export class TraceHash {
  private high = FNV_OFFSET_HIGH;
  private low = FNV_OFFSET_LOW;

  /** Mixes in one byte (the low 8 bits of `byte`). */
  byte(byte: number): void {
    const low = (this.low ^ (byte & 0xff)) >>> 0;
    // (high * 2^32 + low) * (2^40 + 0x1b3) mod 2^64, split into words. Each product stays below
    // 2^42, so the double arithmetic is exact and `>>> 0` reduces mod 2^32.
    const lowProduct = low * FNV_PRIME_LOW;
    const carry = Math.floor(lowProduct / TWO_POW_32);
    this.high = (this.high * FNV_PRIME_LOW + ((low << 8) >>> 0) + carry) >>> 0;
    this.low = lowProduct >>> 0;
  }

  /** Mixes in an unsigned 32-bit word, low byte first. */
  u32(word: number): void {
    this.byte(word);
    this.byte(word >>> 8);
    this.byte(word >>> 16);
    this.byte(word >>> 24);
  }

  /** Mixes in a non-negative integer below 2^53 as two words. */
  uint(value: number): void {
    this.u32(value >>> 0);
    this.u32(Math.floor(value / TWO_POW_32));
  }

  /** Mixes in a string's UTF-16 code units and then its length, so "ab"+"c" differs from "a"+"bc". */
  text(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      this.byte(unit);
      this.byte(unit >>> 8);
    }
    this.u32(text.length);
  }

  /** The hash as 16 lower-case hex digits. */
  hex(): string {
    return this.high.toString(16).padStart(8, '0') + this.low.toString(16).padStart(8, '0');
  }
}
