/** vlan: IFLA_VLAN_* (IFLA_INFO_DATA), <linux/if_link.h>. Not in this test kernel. */
import { attrTable, be16, enumOf, u16, type Codec } from '../../../attr/table.js'
import { checkStruct, intIn } from '../../../util/check.js'
import { decodeFail } from '../../../attr/codec.js'
import { ValidationError } from '../../../errors.js'
import type { LinkKind } from './types.js'

/** struct ifla_vlan_flags { __u32 flags; __u32 mask; } */
const vlanFlags: Codec<{ flags: number; mask: number }> = {
  kind: 'ifla_vlan_flags',
  decode(buf, off, len, path) {
    if (len < 8) decodeFail('ifla_vlan_flags needs 8 bytes', buf, off, path)
    return { flags: buf.readUInt32LE(off), mask: buf.readUInt32LE(off + 4) }
  },
  encode(w, t, v) {
    const b = Buffer.alloc(8)
    b.writeUInt32LE(v.flags >>> 0, 0)
    b.writeUInt32LE(v.mask >>> 0, 4)
    w.attrBytes(t, b)
  },
  check: (v, field) => checkStruct(v, field, ['flags', 'mask'], intIn(0, 0xffffffff)),
}

export const IFLA_VLAN = attrTable('IFLA_VLAN', {
  IFLA_VLAN_ID: [1, 'id', u16],
  IFLA_VLAN_FLAGS: [2, 'flags', vlanFlags],
  IFLA_VLAN_PROTOCOL: [5, 'protocol', enumOf(be16, { '802.1Q': 0x8100, '802.1ad': 0x88a8 })],
})

export const vlan: LinkKind = {
  kind: 'vlan',
  key: 'vlan',
  lower: true,
  data: IFLA_VLAN,
  check(o) {
    const id = o['id']
    if (id === undefined || !Number.isInteger(id) || (id as number) < 0 || (id as number) > 4094)
      throw new ValidationError('vlan.id: expected a VLAN id 0-4094', 'vlan.id', id)
  },
}
