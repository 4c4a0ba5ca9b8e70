/** Wall-clock time at microsecond precision, as RFC 3339 text (Date alone stops at milliseconds). */
const originMicros = BigInt(Math.round(performance.timeOrigin * 1000))

export function nowMicros(): bigint {
  return originMicros + BigInt(Math.round(performance.now() * 1000))
}

export function microsToIso(micros: bigint): string {
  const millis = micros / 1000n
  const extra = (micros % 1000n).toString().padStart(3, '0')
  return new Date(Number(millis)).toISOString().replace('Z', `${extra}Z`)
}

export function nowIsoMicros(): string {
  return microsToIso(nowMicros())
}
