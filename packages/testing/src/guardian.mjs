// Runs a command for a test and makes sure it never outlives the test process:
//   node guardian.mjs <watched pid> <command> [args...]
// The command runs as this process's child; when the watched process is gone
// (the test runner was killed, crashed or timed out before its afterAll), the
// guardian kills the command and exits. SIGTERM/SIGINT are passed on.
import { spawn } from 'node:child_process'

const [watched, command, ...args] = process.argv.slice(2)
const child = spawn(command, args, { stdio: 'inherit' })
// Tell the test process the command's own pid (to signal it alone, read its memory...).
if (process.send) process.send({ pid: child.pid }, () => process.disconnect())
const alive = (pid) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
const timer = setInterval(() => {
  if (!alive(Number(watched))) {
    child.kill('SIGKILL')
    process.exit(1)
  }
}, 500)
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal))
child.on('error', (error) => {
  console.error(`guardian: could not start ${command}: ${error.message}`)
  process.exit(127)
})
child.on('exit', (code, signal) => {
  clearInterval(timer)
  process.exit(code ?? (signal ? 1 : 0))
})
