'use strict';
const http = require('node:http');
const { greeting } = require('./greeting');

const port = Number(process.env.PORT || 3000);

http
  .createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: greeting(new URL(req.url, 'http://x').searchParams.get('name')) }));
  })
  .listen(port, () => console.log(`listening on ${port}`));
