// npm install's last step: on a Node too old for the project, fetch the project's own Node into
// .cache/node (scripts/install_node.sh, from the npm registry), which npm start and npm test then
// use by themselves. Never fails the install: at worst it says what to do.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { projectNode, root, satisfies, tooOldMessage } from './supported-node.js'

if (!satisfies(process.version)) {
  if (projectNode() === undefined) {
    process.stderr.write(
      `crypto-viz: Node ${process.version} is too old; fetching the project's Node 24 into .cache/node\n`
    )
    spawnSync('bash', [join(root, 'scripts/install_node.sh')], {
      stdio: 'inherit',
      env: { ...process.env, CRYPTO_VIZ_FORCE_NODE: '1' }
    })
  }
  process.stderr.write(
    projectNode() === undefined
      ? `${tooOldMessage()}\n`
      : `crypto-viz: Node ${process.version} is too old for the project; npm start and npm test use .cache/node/bin/node by themselves\n`
  )
}
