/**
 * Switching the calling thread into a network namespace and back. setns() moves only
 * the calling thread; everything here is synchronous, so no other JavaScript on this
 * thread (no promise continuation, no timer, no I/O callback) runs while it is switched.
 */
import { closeSync, openSync, writeSync } from 'node:fs'
import { types } from 'node:util'
import { native } from '../native/binding.js'
import { CLONE_NEWNET, sysError } from './run-dir.js'
import { ValidationError } from '../errors.js'

export { CLONE_NEWNET }

/** The namespace of the calling thread (not /proc/self: that is the main thread's). */
export const THREAD_NETNS = '/proc/thread-self/ns/net'

// Per thread: each worker has its own copy of this module.
let depth = 0

/** How many runIn() calls are active on this thread. */
export function switchDepth(): number {
  return depth
}

/**
 * Runs fn with the calling thread in namespace nsfd and switches back to where the thread
 * was (an fd opened on THREAD_NETNS before leaving), also when fn throws. Nesting works:
 * each level restores what it found.
 *
 * The way back is tried before leaving (setns into the thread's own namespace): a process
 * in a user namespace may enter a network namespace it owns yet lack CAP_SYS_ADMIN over
 * the one it came from, and must not find that out once it is on the wrong side.
 */
export function runIn<T>(nsfd: number, label: string, fn: () => T): T {
  if (typeof fn !== 'function') throw new ValidationError('runSync: expected a function', 'fn', fn)
  if (types.isAsyncFunction(fn) || types.isGeneratorFunction(fn))
    throw new TypeError('runSync: fn is an async or generator function; only synchronous work may run while switched')
  const b = native()
  let home: number
  try {
    home = openSync(THREAD_NETNS, 'r')
  } catch (err) {
    throw sysError(err, `cannot open ${THREAD_NETNS}`, label)
  }
  let result: T
  try {
    try {
      b.setns(home, CLONE_NEWNET)
    } catch (err) {
      throw sysError(err, `cannot enter netns ${label}: no way back to the current namespace`, label)
    }
    try {
      b.setns(nsfd, CLONE_NEWNET)
    } catch (err) {
      throw sysError(err, `cannot enter netns ${label}`, label)
    }
    depth++
    try {
      result = fn()
    } finally {
      depth--
      restore(home, label)
    }
  } finally {
    closeSync(home)
  }
  if (isThenable(result)) {
    // Nobody will see this promise: keep its rejection from becoming an unhandled one.
    if (types.isPromise(result)) result.then(undefined, () => undefined)
    throw new TypeError('runSync: fn returned a promise; its continuation would run outside the namespace (the thread has been switched back)')
  }
  return result
}

function restore(home: number, label: string): void {
  try {
    native().setns(home, CLONE_NEWNET)
  } catch (err) {
    // Checked before leaving, so this "cannot happen"; if it does, every socket this
    // thread opens from now on would land in the wrong namespace. Same as the native helper.
    writeSync(2, `rtnetlink: cannot switch the thread back from netns ${label}: ${(err as Error).message}\n`)
    process.abort()
  }
}

function isThenable(v: unknown): boolean {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function'
}
