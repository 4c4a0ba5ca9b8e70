import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { parseTimeArg } from '../../src/cli/time-arg.ts'
import { waitFor } from '../helpers/wait.ts'

const run = promisify(execFile)
const cli = (...args: string[]) =>
  run(process.execPath, ['src/cli.ts', ...args], { env: { ...process.env, LOG_LEVEL: 'silent' } })

test('help lists the producer commands', async () => {
  const { stdout } = await cli('help')
  for (const name of ['produce', 'backfill', 'sim']) assert.match(stdout, new RegExp(`^  ${name} `, 'm'))
})

test('bad producer flags stop with a usage error that says what to write', async () => {
  const cases: [string[], number, RegExp][] = [
    [
      ['backfill', '--symbol', 'XBT/USD', '--from', 'now-1h'],
      64,
      /XBT\/USD is v1\/REST naming, which v2 rejects; write BTC\/USD/
    ],
    [['backfill', '--symbol', 'BTC/USD'], 64, /--symbol and --from are required/],
    [['backfill', '--symbol', 'BTC/USD', '--from', 'yesterday'], 64, /is not a time/],
    [['backfill', '--symbol', 'BTC/USD', '--from', 'now-1h', '--to', 'now-2h'], 1, /CV_ERR_BACKFILL_RANGE/],
    [['produce', '--speed', 'fast'], 64, /--speed: expected a number from 0.01 to 1000/]
  ]
  for (const [args, code, message] of cases) {
    await assert.rejects(cli(...args), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, code, args.join(' '))
      assert.match(error.stderr, message)
      return true
    })
  }
})

test('relative and absolute times on the command line', () => {
  const now = Date.UTC(2025, 10, 10, 12)
  assert.equal(parseTimeArg('from', 'now-2h', now), now - 7_200_000)
  assert.equal(parseTimeArg('from', 'now-90m', now), now - 5_400_000)
  assert.equal(parseTimeArg('from', '-1d', now), now - 86_400_000)
  assert.equal(parseTimeArg('from', '2025-11-10T14:00Z', now), Date.UTC(2025, 10, 10, 14))
  assert.equal(parseTimeArg('from', '1762795433', now), 1762795433000)
  assert.equal(parseTimeArg('to', 'now', now), now)
})

test('`sim` serves the fake Kraken and feeds standalone until interrupted', async () => {
  const child = spawn(
    process.execPath,
    ['src/cli.ts', 'sim', '--symbols', 'BTC/USD', '--history-minutes', '5'],
    {
      env: { ...process.env, LOG_LEVEL: 'silent' }
    }
  )
  let stdout = ''
  child.stdout.on('data', chunk => (stdout += String(chunk)))
  const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
  try {
    const rest = await waitFor(
      'the REST URL',
      () => /fake Kraken REST\s+(http:\/\/[\d.:]+)/.exec(stdout)?.[1],
      15_000
    )
    const status = (await (await fetch(`${rest}/0/public/SystemStatus`)).json()) as {
      result: { status: string }
    }
    assert.equal(status.result.status, 'online')
    const fault = await fetch(`${rest}/_sim/faults/maintenance?on=true`, { method: 'POST' })
    assert.equal(fault.status, 200)
    assert.match(stdout, /NEWS_FEEDS=coindesk=http|NEWS_FEEDS=\w/)
  } finally {
    child.kill('SIGINT')
  }
  assert.equal(await exited, 0)
})
