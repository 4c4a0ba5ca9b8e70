/** Second check: the bus answers (a Kafka metadata request, or the embedded bus folder exists). */
import { describeError } from '../../errors/errors.ts'
import { type DoctorCheck, finding, within } from './doctor.ts'

export const brokerCheck: DoctorCheck = {
  name: 'broker',
  async run(context) {
    const { bus, timeoutMs } = context
    try {
      const what = await within(timeoutMs, `the bus at ${bus.where}`, bus.reach())
      context.facts.busReachable = true
      return finding('ok', bus.kind === 'kafka' ? `Kafka at ${bus.where} answers: ${what}` : what)
    } catch (error) {
      context.facts.busReachable = false
      return bus.kind === 'kafka'
        ? finding('fail', `Kafka at ${bus.where} is not reachable: ${describeError(error)}`, {
            fix: 'start it (scripts/infra.sh start kafka, or docker compose up -d kafka) and check KAFKA_SERVERS'
          })
        : finding('fail', `no embedded bus folder at ${bus.where}`, {
            fix: 'start the pipeline once (npm start creates it), or point DATA_DIR at the folder it uses'
          })
    }
  }
}
