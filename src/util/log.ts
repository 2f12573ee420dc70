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

/**
 * Bumped by every debug.enable() (debug.disable() calls it too), so that hot paths can tell
 * whether the enabled namespaces changed by comparing a number. They could read debug's own
 * `namespaces` instead, but debug's exported function holds ~20 properties and V8 keeps it in
 * dictionary mode: each read was a generic property lookup (V8's LoadIC builtin), 1-2% of an
 * awaited link.get. Wrapping `enable` keeps its behaviour and its callers unchanged.
 */
let generation = 0
{
  const debugApi = createDebug as unknown as { enable(namespaces: string): void }
  const enable = debugApi.enable
  debugApi.enable = function (this: unknown, namespaces: string): void {
    generation++
    enable.call(this, namespaces)
  }
}

/**
 * Whether any of `loggers` is enabled, for hot paths: the socket asks once per request and
 * per datagram. A Debugger's `enabled` is a getter that compares debug's enabled namespaces
 * with its own cache; asked four times per request, it cost ~2% of an awaited link.get.
 * This asks the loggers again only when debug.enable() or disable() was called since (DEBUG
 * at start is read before). The loggers are the library's own, so nothing sets their
 * `enabled` directly.
 */
export function enabledCheck(...loggers: Logger[]): () => boolean {
  let seen = -1
  let on = false
  return () => {
    if (generation !== seen) {
      seen = generation
      on = loggers.some(l => l.enabled)
    }
    return on
  }
}
