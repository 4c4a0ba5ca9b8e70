/**
 * A node:test reporter that writes the files with a failing test, one path per line, so that
 * `npm test` can run exactly those files again (see scripts/run-tests.ts).
 */
import type { TestEvent } from 'node:test/reporters'

export default async function* failedFiles(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const failed = new Set<string>()
  for await (const event of source) {
    if (event.type === 'test:fail' && event.data.file !== undefined) failed.add(event.data.file)
  }
  for (const file of failed) yield `${file}\n`
}
