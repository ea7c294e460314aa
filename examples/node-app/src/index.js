/* global process, console, URL */
import http from 'node:http';
import { greeting } from './greeting.js';

const port = Number(process.env.PORT || 3000);

http
  .createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(204).end();
      return;
    }
    const name = new URL(req.url, 'http://localhost').searchParams.get('name');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: greeting(name) }));
  })
  .listen(port, () => console.log(`listening on ${port}`));
