/**
 * DEBUG PROTOCOL <type>: a fixed test value of each RESP3 type, as debug.c writes it, so client
 * libraries can test their parsers. In RESP2 the values are downgraded as every reply is (a map
 * becomes a flat array, a double or big number a bulk string, true and false :1 and :0, null $-1),
 * an attribute is left out (only the reply after it is sent) and a push is refused with Redis's
 * error. The type name is matched without regard to case.
 */
import type { ReplyWriter } from '@replisim/protocol';
import { ErrorReply } from '../types.js';

/** The type names of 7.0, in the order its error message lists them. */
export const PROTOCOL_TYPES = [
  'string',
  'integer',
  'double',
  'bignum',
  'null',
  'array',
  'set',
  'map',
  'attrib',
  'push',
  'verbatim',
  'true',
  'false',
] as const;

export type ProtocolType = (typeof PROTOCOL_TYPES)[number];

export const WRONG_PROTOCOL_TYPE: ErrorReply = new ErrorReply(
  `ERR Wrong protocol type name. Please use one of the following: ${PROTOCOL_TYPES.join('|')}`,
);
const RESP2_PUSH = new ErrorReply('ERR RESP2 is not supported by this command');

/** The values debug.c sends. */
const TEST_STRING = 'Hello World';
const TEST_INTEGER = 12345;
// biome-ignore lint/suspicious/noApproximativeNumericConstant: debug.c sends exactly 3.141, not pi.
const TEST_DOUBLE = 3.141;
const TEST_BIGNUM = '1234567999999999999999999999999999999';
const TEST_VERBATIM = 'This is a verbatim\nstring';
const ATTRIBUTE_NAME = 'key-popularity';
const ATTRIBUTE_KEY = 'key:123';
const ATTRIBUTE_VALUE = 90;
const ATTRIBUTE_REPLY = 'Some real reply following the attribute';
const PUSH_NAME = 'server-cpu-usage';
const PUSH_VALUE = 42;
const PUSH_REPLY = 'Some real reply following the push reply';
/** Arrays, sets and maps hold 0, 1, 2 (a map's values are j == 1). */
const COLLECTION_LENGTH = 3;

export function parseProtocolType(arg: Buffer | undefined): ProtocolType | ErrorReply {
  const name = (arg ?? Buffer.alloc(0)).toString('latin1').toLowerCase();
  const found = PROTOCOL_TYPES.find((type) => type === name);
  return found ?? WRONG_PROTOCOL_TYPE;
}

/** Writes the test value of `type`, or returns the error a RESP2 push gets. */
export function debugProtocol(reply: ReplyWriter, type: ProtocolType): ErrorReply | undefined {
  switch (type) {
    case 'string':
      reply.bulk(TEST_STRING);
      return undefined;
    case 'integer':
      reply.integer(TEST_INTEGER);
      return undefined;
    case 'double':
      reply.double(TEST_DOUBLE);
      return undefined;
    case 'bignum':
      reply.bigNumber(TEST_BIGNUM);
      return undefined;
    case 'null':
      reply.nullBulk();
      return undefined;
    case 'array':
    case 'set':
      if (type === 'array') reply.arrayHeader(COLLECTION_LENGTH);
      else reply.setHeader(COLLECTION_LENGTH);
      for (let j = 0; j < COLLECTION_LENGTH; j++) reply.integer(j);
      return undefined;
    case 'map':
      reply.mapHeader(COLLECTION_LENGTH);
      for (let j = 0; j < COLLECTION_LENGTH; j++) {
        reply.integer(j);
        reply.boolean(j === 1);
      }
      return undefined;
    case 'attrib':
      // RESP2 has no attributes: addReplyAttributeLen writes nothing for a RESP2 client.
      if (reply.protocol === 3) {
        reply.raw(Buffer.from('|1\r\n', 'latin1'));
        reply.bulk(ATTRIBUTE_NAME);
        reply.arrayHeader(2);
        reply.bulk(ATTRIBUTE_KEY);
        reply.integer(ATTRIBUTE_VALUE);
      }
      reply.bulk(ATTRIBUTE_REPLY);
      return undefined;
    case 'push':
      if (reply.protocol === 2) return RESP2_PUSH;
      reply.pushHeader(2);
      reply.bulk(PUSH_NAME);
      reply.integer(PUSH_VALUE);
      reply.bulk(PUSH_REPLY);
      return undefined;
    case 'verbatim':
      reply.verbatim(TEST_VERBATIM);
      return undefined;
    case 'true':
    case 'false':
      reply.boolean(type === 'true');
      return undefined;
  }
}
