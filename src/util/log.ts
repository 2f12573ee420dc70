/**
 * Debug logging through `debug`, off by default: `DEBUG=rtnetlink:*` enables all,
 * `DEBUG=rtnetlink:socket` just the socket traces. Callers test `.enabled` before
 * formatting anything on hot paths.
 */
import createDebug from 'debug'

export type Logger = createDebug.Debugger

/** A logger for `rtnetlink:<area>` (`socket`, `link`, `netns`, ...). */
export function log(area: string): Logger {
  return createDebug(`rtnetlink:${area}`)
}

/** Where debug keeps the namespaces enabled by DEBUG or debug.enable() (set by enable()). */
const debugState = createDebug as unknown as { namespaces?: string }

/**
 * Whether any of `loggers` is enabled, for hot paths: the socket asks once per request and
 * per datagram. A Debugger's `enabled` is a getter that compares debug's enabled namespaces
 * with its own cache; asked four times per request, it cost ~2% of an awaited link.get.
 * This reads the namespaces once and asks the loggers again only when they changed (DEBUG
 * at start, debug.enable() or disable() later). The loggers are the library's own, so
 * nothing sets their `enabled` directly.
 */
export function enabledCheck(...loggers: Logger[]): () => boolean {
  let seen: string | undefined | null = null
  let on = false
  return () => {
    const ns = debugState.namespaces
    if (ns !== seen) {
      seen = ns
      on = loggers.some(l => l.enabled)
    }
    return on
  }
}
