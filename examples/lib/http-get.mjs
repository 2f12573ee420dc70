// Fetches a URL and prints the body (exit 1 on error, 2 on timeout). Run by the examples
// as a child process started inside a network namespace.
import http from 'node:http'

const req = http.get(process.argv[2], { timeout: 3000 }, res => {
  let body = ''
  res.setEncoding('utf8')
  res.on('data', d => { body += d })
  res.on('end', () => { process.stdout.write(body); process.exit(res.statusCode === 200 ? 0 : 1) })
})
req.on('timeout', () => { console.error('timeout'); process.exit(2) })
req.on('error', e => { console.error(e.message); process.exit(1) })
