/**
 * Which addresses an article fetch may connect to: public unicast only. Private, loopback,
 * link-local, carrier-grade NAT, multicast, documentation and reserved ranges (v4 and v6, and v4
 * mapped into v6) are refused, so a feed item (or a redirect) cannot make the producer reach
 * services inside our network. Hosts listed as allowed (a local mirror, the replay server) pass.
 */
import { BlockList, isIP } from 'node:net'

const blocked = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4]
] as const)
  blocked.addSubnet(network, prefix, 'ipv4')
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8]
] as const)
  blocked.addSubnet(network, prefix, 'ipv6')

/** True when `address` (an IP literal) is not a public unicast address. */
export function isBlockedAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '')
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1]
  if (mapped !== undefined) return blocked.check(mapped, 'ipv4')
  const family = isIP(bare)
  if (family === 0) return true
  return blocked.check(bare, family === 4 ? 'ipv4' : 'ipv6')
}

/** Whether `url`'s host (`host` or `host:port`) is on the allow list. */
export function isAllowedHost(url: URL, allowed: ReadonlySet<string>): boolean {
  return allowed.has(url.host.toLowerCase()) || allowed.has(url.hostname.toLowerCase())
}
