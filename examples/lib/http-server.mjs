// An HTTP server for the examples, run as a worker thread started inside a network
// namespace (workerData: { host, port, name }). Posts { listening } when ready; 'stop' ends it.
import http from 'node:http'
import { parentPort, workerData } from 'node:worker_threads'

const { host, port, name } = workerData
const server = http.createServer((req, res) => {
  res.setHeader('content-type', 'text/plain')
  res.end(`hello from ${name} (${host}) to ${req.socket.remoteAddress}\n`)
})
server.listen(port, host, () => parentPort.postMessage({ listening: server.address() }))
parentPort.on('message', m => { if (m === 'stop') server.close(() => process.exit(0)) })
