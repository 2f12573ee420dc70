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
